package dev.panamavgpu.ffm;

import dev.panamavgpu.ffm.layout.SockFilter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** seccomp(2): installing a BPF filter and probing which filter results the kernel knows. */
public final class Seccomp {
    private Seccomp() {}

    static final int SECCOMP_SET_MODE_FILTER = 1, SECCOMP_GET_ACTION_AVAIL = 2;
    /** Install on every thread of the process, or fail if one of them has a filter tree of its own. */
    public static final int FILTER_FLAG_TSYNC = 1;

    // filter results, most restrictive first
    public static final int RET_KILL_PROCESS = 0x80000000, RET_KILL_THREAD = 0, RET_TRAP = 0x00030000,
            RET_ERRNO = 0x00050000, RET_LOG = 0x7FFC0000, RET_ALLOW = 0x7FFF0000;

    public static int retErrno(int errno) { return RET_ERRNO | (errno & 0xFFFF); }

    /**
     * Installs {@code count} sock_filter instructions from {@code program}. The kernel copies them, so
     * the segment may be freed afterwards. With {@link #FILTER_FLAG_TSYNC} a thread that cannot be
     * synchronised makes this fail with ESRCH-like {@link ErrnoException} naming its TID.
     */
    public static void installFilter(MemorySegment program, int count, int flags) throws ErrnoException {
        if (count <= 0 || count > SockFilter.MAX_INSNS || program.byteSize() < count * SockFilter.SIZE) {
            throw new IllegalArgumentException("seccomp program of " + count + " instructions in " + program.byteSize() + " bytes");
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment prog = a.allocate(SockFilter.FPROG);
            prog.set(ValueLayout.JAVA_SHORT, SockFilter.FPROG_LEN, (short) count);
            prog.set(ValueLayout.ADDRESS, SockFilter.FPROG_FILTER, program);
            long r = Syscall.call("seccomp(SET_MODE_FILTER)", Syscall.SYS_SECCOMP, SECCOMP_SET_MODE_FILTER, flags, prog.address());
            // TSYNC reports the thread it could not move onto the new filter as a positive TID
            if (r > 0) throw new ErrnoException("seccomp(SET_MODE_FILTER, TSYNC) blocked by thread " + r, Errno.ESRCH);
        }
    }

    /** Whether the kernel knows the filter result {@code action} (e.g. {@link #RET_KILL_PROCESS}, Linux 4.14+). */
    public static boolean actionAvailable(int action) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(ValueLayout.JAVA_INT);
            v.set(ValueLayout.JAVA_INT, 0, action);
            Syscall.call("seccomp(GET_ACTION_AVAIL)", Syscall.SYS_SECCOMP, SECCOMP_GET_ACTION_AVAIL, 0, v.address());
            return true;
        } catch (ErrnoException e) {
            return false;
        }
    }
}
