package dev.panamavgpu.ffm;

import dev.panamavgpu.ffm.layout.LandlockAttr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Landlock (linux/landlock.h): a ruleset of file-system rights, path rules granting some of them
 * beneath a directory or on a file, and {@code restrict_self}, which binds the calling thread (and,
 * below ABI 8, only the threads it starts afterwards).
 */
public final class Landlock {
    private Landlock() {}

    // file-system rights, by the ABI that introduced them
    public static final long FS_EXECUTE = 1L, FS_WRITE_FILE = 1L << 1, FS_READ_FILE = 1L << 2, FS_READ_DIR = 1L << 3,
            FS_REMOVE_DIR = 1L << 4, FS_REMOVE_FILE = 1L << 5, FS_MAKE_CHAR = 1L << 6, FS_MAKE_DIR = 1L << 7,
            FS_MAKE_REG = 1L << 8, FS_MAKE_SOCK = 1L << 9, FS_MAKE_FIFO = 1L << 10, FS_MAKE_BLOCK = 1L << 11,
            FS_MAKE_SYM = 1L << 12;              // ABI 1
    public static final long FS_REFER = 1L << 13;       // ABI 2
    public static final long FS_TRUNCATE = 1L << 14;    // ABI 3
    public static final long FS_IOCTL_DEV = 1L << 15;   // ABI 5
    public static final long NET_BIND_TCP = 1L, NET_CONNECT_TCP = 1L << 1;                 // ABI 4
    public static final long SCOPE_ABSTRACT_UNIX_SOCKET = 1L, SCOPE_SIGNAL = 1L << 1;      // ABI 6
    /** Rights a rule on a regular file (rather than a directory) may grant. */
    public static final long FS_FILE_RIGHTS = FS_EXECUTE | FS_WRITE_FILE | FS_READ_FILE | FS_TRUNCATE | FS_IOCTL_DEV;

    static final int CREATE_RULESET_VERSION = 1, RULE_PATH_BENEATH = 1;
    static final int O_PATH = 0x200000, O_CLOEXEC = 0x80000, AT_FDCWD = -100;

    /** Every file-system right the kernel of {@code abi} knows, so that all of them are handled (denied unless granted). */
    public static long fsRights(int abi) {
        long r = 0;
        if (abi >= 1) r |= (1L << 13) - 1;
        if (abi >= 2) r |= FS_REFER;
        if (abi >= 3) r |= FS_TRUNCATE;
        if (abi >= 5) r |= FS_IOCTL_DEV;
        return r;
    }

    /**
     * The kernel's Landlock ABI version. Throws with ENOSYS (not built in) or EOPNOTSUPP (disabled at boot).
     */
    public static int abiVersion() throws ErrnoException {
        return (int) Syscall.call("landlock_create_ruleset(VERSION)", Syscall.SYS_LANDLOCK_CREATE_RULESET, 0, 0, CREATE_RULESET_VERSION);
    }

    /** A new ruleset handling these rights; the attribute is sized to what {@code abi} understands. */
    public static Fd createRuleset(int abi, long handledFs, long handledNet, long scoped) throws ErrnoException {
        long size = abi >= 6 ? 24 : abi >= 4 ? 16 : 8;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment attr = a.allocate(LandlockAttr.RULESET);
            attr.set(ValueLayout.JAVA_LONG, LandlockAttr.HANDLED_ACCESS_FS, handledFs);
            attr.set(ValueLayout.JAVA_LONG, LandlockAttr.HANDLED_ACCESS_NET, handledNet);
            attr.set(ValueLayout.JAVA_LONG, LandlockAttr.SCOPED, scoped);
            return Fd.adopt((int) Syscall.call("landlock_create_ruleset", Syscall.SYS_LANDLOCK_CREATE_RULESET, attr.address(), size, 0));
        }
    }

    /** Grants {@code allowed} beneath (or on) the file {@code parent}, opened with {@link #openPath}. */
    public static void addPathRule(Fd ruleset, Fd parent, long allowed) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment attr = a.allocate(LandlockAttr.PATH_BENEATH);
            attr.set(ValueLayout.JAVA_LONG_UNALIGNED, LandlockAttr.ALLOWED_ACCESS, allowed);
            attr.set(ValueLayout.JAVA_INT, LandlockAttr.PARENT_FD, parent.get());
            Syscall.call("landlock_add_rule", Syscall.SYS_LANDLOCK_ADD_RULE, ruleset.get(), RULE_PATH_BENEATH, attr.address(), 0, 0);
        }
    }

    /** Enforces the ruleset on the calling thread (and the threads it starts from now on). Needs no_new_privs. */
    public static void restrictSelf(Fd ruleset, int flags) throws ErrnoException {
        Syscall.call("landlock_restrict_self", Syscall.SYS_LANDLOCK_RESTRICT_SELF, ruleset.get(), flags, 0);
    }

    /** An O_PATH descriptor of {@code path}, as path rules take. */
    public static Fd openPath(String path) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocateFrom(path);
            return Fd.adopt((int) Syscall.call("open(O_PATH) " + path, Syscall.SYS_OPENAT, AT_FDCWD, p.address(), O_PATH | O_CLOEXEC));
        }
    }
}
