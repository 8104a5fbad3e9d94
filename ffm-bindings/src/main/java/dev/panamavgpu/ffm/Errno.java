package dev.panamavgpu.ffm;

/** The errno values the project reacts to by name, and a symbolic name for any errno. */
public final class Errno {
    private Errno() {}

    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, EBADF = 9, EAGAIN = 11, ENOMEM = 12,
            EACCES = 13, EFAULT = 14, EBUSY = 16, EEXIST = 17, EINVAL = 22, ENFILE = 23, EMFILE = 24,
            ENOSPC = 28, EPIPE = 32, ENOSYS = 38, ENOTSOCK = 88, EAFNOSUPPORT = 97, EOPNOTSUPP = 95, EADDRINUSE = 98, ECONNRESET = 104,
            ENOTCONN = 107, ECONNREFUSED = 111;

    private static final String[] NAMES = new String[134];
    static {
        String[][] pairs = {
            {"1", "EPERM"}, {"2", "ENOENT"}, {"3", "ESRCH"}, {"4", "EINTR"}, {"5", "EIO"}, {"6", "ENXIO"},
            {"7", "E2BIG"}, {"8", "ENOEXEC"}, {"9", "EBADF"}, {"10", "ECHILD"}, {"11", "EAGAIN"},
            {"12", "ENOMEM"}, {"13", "EACCES"}, {"14", "EFAULT"}, {"16", "EBUSY"}, {"17", "EEXIST"},
            {"19", "ENODEV"}, {"20", "ENOTDIR"}, {"21", "EISDIR"}, {"22", "EINVAL"}, {"23", "ENFILE"},
            {"24", "EMFILE"}, {"27", "EFBIG"}, {"28", "ENOSPC"}, {"29", "ESPIPE"}, {"30", "EROFS"},
            {"32", "EPIPE"}, {"36", "ENAMETOOLONG"}, {"38", "ENOSYS"}, {"75", "EOVERFLOW"},
            {"88", "ENOTSOCK"}, {"90", "EMSGSIZE"}, {"95", "EOPNOTSUPP"}, {"97", "EAFNOSUPPORT"},
            {"98", "EADDRINUSE"}, {"104", "ECONNRESET"}, {"105", "ENOBUFS"}, {"106", "EISCONN"},
            {"107", "ENOTCONN"}, {"110", "ETIMEDOUT"}, {"111", "ECONNREFUSED"},
        };
        for (String[] p : pairs) NAMES[Integer.parseInt(p[0])] = p[1];
    }

    /** "EBADF" for 9; "errno 200" for values without a name here. */
    public static String name(int errno) {
        if (errno >= 0 && errno < NAMES.length && NAMES[errno] != null) return NAMES[errno];
        return "errno " + errno;
    }
}
