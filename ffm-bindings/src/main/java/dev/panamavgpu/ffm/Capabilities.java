package dev.panamavgpu.ffm;

import dev.panamavgpu.ffm.layout.CapUser;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * capget/capset for the calling thread. Linux capabilities are per thread: these change the caller and
 * the threads it starts afterwards, never threads that already run.
 */
public final class Capabilities {
    private Capabilities() {}

    /** A thread's three capability sets as 64-bit masks (bit n = capability n). */
    public record Sets(long effective, long permitted, long inheritable) {
        public boolean isEmpty() { return effective == 0 && permitted == 0 && inheritable == 0; }
    }

    public static Sets ofThisThread() throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment hdr = header(a);
            MemorySegment data = a.allocate(CapUser.DATA, CapUser.DATA_WORDS);
            Syscall.call("capget", Syscall.SYS_CAPGET, hdr.address(), data.address(), 0);
            return new Sets(word(data, CapUser.EFFECTIVE), word(data, CapUser.PERMITTED), word(data, CapUser.INHERITABLE));
        }
    }

    /** Empties the calling thread's effective, permitted and inheritable sets. */
    public static void clearThisThread() throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment hdr = header(a);
            MemorySegment data = a.allocate(CapUser.DATA, CapUser.DATA_WORDS); // zeroed
            Syscall.call("capset", Syscall.SYS_CAPSET, hdr.address(), data.address(), 0);
        }
    }

    private static MemorySegment header(Arena a) {
        MemorySegment hdr = a.allocate(CapUser.HEADER);
        hdr.set(ValueLayout.JAVA_INT, CapUser.VERSION, CapUser.VERSION_3);
        hdr.set(ValueLayout.JAVA_INT, CapUser.PID, 0); // 0: the calling thread
        return hdr;
    }

    private static long word(MemorySegment data, long field) {
        long lo = Integer.toUnsignedLong(data.get(ValueLayout.JAVA_INT, field));
        long hi = Integer.toUnsignedLong(data.get(ValueLayout.JAVA_INT, CapUser.DATA.byteSize() + field));
        return lo | hi << 32;
    }
}
