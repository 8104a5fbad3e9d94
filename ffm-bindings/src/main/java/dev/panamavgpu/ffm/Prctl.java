package dev.panamavgpu.ffm;

/**
 * The prctl(2) options the sandbox uses. Through {@link Syscall} because glibc's prctl is variadic.
 * Unless said otherwise, each affects the calling thread only (and threads it starts later).
 */
public final class Prctl {
    private Prctl() {}

    static final int PR_SET_DUMPABLE = 4, PR_GET_DUMPABLE = 3, PR_CAPBSET_READ = 23, PR_CAPBSET_DROP = 24,
            PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39, PR_CAP_AMBIENT = 47, PR_CAP_AMBIENT_CLEAR_ALL = 4;

    /** no_new_privs: execve can no longer grant privileges; needed before an unprivileged seccomp filter or Landlock. */
    public static void setNoNewPrivs() throws ErrnoException {
        Syscall.call("prctl(PR_SET_NO_NEW_PRIVS)", Syscall.SYS_PRCTL, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    }

    public static boolean noNewPrivs() throws ErrnoException {
        return Syscall.call("prctl(PR_GET_NO_NEW_PRIVS)", Syscall.SYS_PRCTL, PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1;
    }

    /** Process-wide: a non-dumpable process cannot be ptrace-attached or have its /proc/PID/mem read by same-uid peers. */
    public static void setDumpable(boolean dumpable) throws ErrnoException {
        Syscall.call("prctl(PR_SET_DUMPABLE)", Syscall.SYS_PRCTL, PR_SET_DUMPABLE, dumpable ? 1 : 0, 0, 0, 0);
    }

    public static boolean dumpable() throws ErrnoException {
        return Syscall.call("prctl(PR_GET_DUMPABLE)", Syscall.SYS_PRCTL, PR_GET_DUMPABLE, 0, 0, 0, 0) != 0;
    }

    /** Whether {@code cap} is in the bounding set; EINVAL (an {@link ErrnoException}) past the kernel's last capability. */
    public static boolean capBsetRead(int cap) throws ErrnoException {
        return Syscall.call("prctl(PR_CAPBSET_READ)", Syscall.SYS_PRCTL, PR_CAPBSET_READ, cap, 0, 0, 0) == 1;
    }

    /** Removes {@code cap} from the bounding set (needs CAP_SETPCAP). */
    public static void capBsetDrop(int cap) throws ErrnoException {
        Syscall.call("prctl(PR_CAPBSET_DROP)", Syscall.SYS_PRCTL, PR_CAPBSET_DROP, cap, 0, 0, 0);
    }

    public static void clearAmbientCaps() throws ErrnoException {
        Syscall.call("prctl(PR_CAP_AMBIENT_CLEAR_ALL)", Syscall.SYS_PRCTL, PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    }
}
