package dev.panamavgpu.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.panamavgpu.ffm.layout.Stat;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

/**
 * File-descriptor level libc calls: read, write, close, fcntl, fstat, ftruncate, memfd_create,
 * unlink, rename, umask, getpid, isatty, strerror. Every call retries EINTR and turns other failures into
 * {@link ErrnoException}; calls used on non-blocking descriptors return {@link #AGAIN} for EAGAIN.
 */
public final class Libc {
    private Libc() {}

    /** Returned by non-blocking read/write when the call would block. */
    public static final long AGAIN = -1;

    public static final int O_NONBLOCK = 0x800;
    public static final int F_GETFL = 3, F_SETFL = 4, F_GETFD = 1, F_DUPFD_CLOEXEC = 1030, F_ADD_SEALS = 1033, F_GET_SEALS = 1034;
    public static final int F_SEAL_SEAL = 0x1, F_SEAL_SHRINK = 0x2, F_SEAL_GROW = 0x4, F_SEAL_WRITE = 0x8;
    public static final int MFD_CLOEXEC = 0x1, MFD_ALLOW_SEALING = 0x2;

    private static final class Read {
        static final MethodHandle H = Native.errnoHandle("read",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }
    private static final class Write {
        static final MethodHandle H = Native.errnoHandle("write",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }
    private static final class Close {
        static final MethodHandle H = Native.errnoHandle("close",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }
    private static final class Fcntl {
        static final MethodHandle H = Native.errnoHandle("fcntl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }
    private static final class Fstat {
        static final MethodHandle H = Native.errnoHandle("fstat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    }
    private static final class Ftruncate {
        static final MethodHandle H = Native.errnoHandle("ftruncate",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    }
    private static final class MemfdCreate {
        static final MethodHandle H = Native.errnoHandle("memfd_create",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }
    private static final class Open {
        static final MethodHandle H = Native.errnoHandle("open",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    }
    private static final class Setenv {
        static final MethodHandle H = Native.errnoHandle("setenv",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    }
    private static final class Unlink {
        static final MethodHandle H = Native.errnoHandle("unlink",
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }
    private static final class Rename {
        static final MethodHandle H = Native.errnoHandle("rename",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    }
    private static final class Umask {
        static final MethodHandle H = Native.errnoHandle("umask",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }
    private static final class Getpid {
        static final MethodHandle H = Native.errnoHandle("getpid",
                FunctionDescriptor.of(JAVA_INT));
    }
    private static final class Isatty {
        static final MethodHandle H = Native.errnoHandle("isatty",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }
    private static final class StrerrorR { // the GNU variant, which returns char*
        static final MethodHandle H = Native.errnoHandle("strerror_r",
                FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG));
    }

    /** read(2) into a native segment; 0 at end of file, {@link #AGAIN} if it would block. */
    public static long read(int fd, MemorySegment buf, long len) throws ErrnoException {
        checkLen(buf, len);
        MemorySegment cs = Native.captureSegment();
        while (true) {
            long n;
            try { n = (long) Read.H.invokeExact(cs, fd, buf, len); } catch (Throwable t) { throw Native.unexpected(t); }
            if (n >= 0) return n;
            int e = Native.errno(cs);
            if (e == Errno.EINTR) continue;
            if (e == Errno.EAGAIN) return AGAIN;
            throw new ErrnoException("read", e);
        }
    }

    /** write(2) from a native segment; may write less than asked; {@link #AGAIN} if it would block. */
    public static long write(int fd, MemorySegment buf, long len) throws ErrnoException {
        checkLen(buf, len);
        MemorySegment cs = Native.captureSegment();
        while (true) {
            long n;
            try { n = (long) Write.H.invokeExact(cs, fd, buf, len); } catch (Throwable t) { throw Native.unexpected(t); }
            if (n >= 0) return n;
            int e = Native.errno(cs);
            if (e == Errno.EINTR) continue;
            if (e == Errno.EAGAIN) return AGAIN;
            throw new ErrnoException("write", e);
        }
    }

    /** close(2). EINTR is not retried: on Linux the descriptor is gone either way. */
    public static void close(int fd) throws ErrnoException {
        MemorySegment cs = Native.captureSegment();
        int r;
        try { r = (int) Close.H.invokeExact(cs, fd); } catch (Throwable t) { throw Native.unexpected(t); }
        if (r != 0 && Native.errno(cs) != Errno.EINTR) throw new ErrnoException("close", Native.errno(cs));
    }

    static void closeQuietly(int fd) {
        try { close(fd); } catch (ErrnoException ignored) { /* nothing useful to do */ }
    }

    public static int fcntl(int fd, int cmd, int arg) throws ErrnoException {
        MemorySegment cs = Native.captureSegment();
        while (true) {
            int r;
            try { r = (int) Fcntl.H.invokeExact(cs, fd, cmd, arg); } catch (Throwable t) { throw Native.unexpected(t); }
            if (r >= 0) return r;
            if (Native.errno(cs) != Errno.EINTR) throw new ErrnoException("fcntl", Native.errno(cs));
        }
    }

    public static void setNonBlocking(int fd) throws ErrnoException {
        int fl = fcntl(fd, F_GETFL, 0);
        if ((fl & O_NONBLOCK) == 0) fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    }

    /** The facts of fstat(2) the project needs. */
    public record FileStat(long size, int mode) {}

    public static FileStat fstat(int fd) throws ErrnoException {
        MemorySegment cs = Native.captureSegment();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(Stat.LAYOUT);
            int r;
            try { r = (int) Fstat.H.invokeExact(cs, fd, st); } catch (Throwable t) { throw Native.unexpected(t); }
            if (r != 0) throw new ErrnoException("fstat", Native.errno(cs));
            return new FileStat(st.get(JAVA_LONG, Stat.ST_SIZE), st.get(JAVA_INT, Stat.ST_MODE));
        }
    }

    public static void ftruncate(int fd, long size) throws ErrnoException {
        MemorySegment cs = Native.captureSegment();
        while (true) {
            int r;
            try { r = (int) Ftruncate.H.invokeExact(cs, fd, size); } catch (Throwable t) { throw Native.unexpected(t); }
            if (r == 0) return;
            if (Native.errno(cs) != Errno.EINTR) throw new ErrnoException("ftruncate", Native.errno(cs));
        }
    }

    /** memfd_create(2) with MFD_CLOEXEC added. */
    public static Fd memfdCreate(String name, int flags) throws ErrnoException {
        MemorySegment cs = Native.captureSegment();
        try (Arena a = Arena.ofConfined()) {
            int r;
            try { r = (int) MemfdCreate.H.invokeExact(cs, a.allocateFrom(name), flags | MFD_CLOEXEC); }
            catch (Throwable t) { throw Native.unexpected(t); }
            if (r < 0) throw new ErrnoException("memfd_create", Native.errno(cs));
            return Fd.adopt(r);
        }
    }

    public static final int O_RDWR = 2, O_CLOEXEC = 0x80000;

    /** open(2) of an existing file (a device node), with O_CLOEXEC added. */
    public static Fd open(String path, int flags) throws ErrnoException {
        MemorySegment cs = Native.captureSegment();
        try (Arena a = Arena.ofConfined()) {
            while (true) {
                int r;
                try { r = (int) Open.H.invokeExact(cs, a.allocateFrom(path), flags | O_CLOEXEC); } catch (Throwable t) { throw Native.unexpected(t); }
                if (r >= 0) return Fd.adopt(r);
                if (Native.errno(cs) != Errno.EINTR) throw new ErrnoException("open " + path, Native.errno(cs));
            }
        }
    }

    /**
     * setenv(3) without overwriting: for native libraries that read their settings from the
     * environment (Mesa). Not thread-safe against other threads' getenv: call it before starting them.
     */
    public static void setenvIfUnset(String name, String value) throws ErrnoException {
        MemorySegment cs = Native.captureSegment();
        try (Arena a = Arena.ofConfined()) {
            int r;
            try { r = (int) Setenv.H.invokeExact(cs, a.allocateFrom(name), a.allocateFrom(value), 0); } catch (Throwable t) { throw Native.unexpected(t); }
            if (r != 0) throw new ErrnoException("setenv " + name, Native.errno(cs));
        }
    }

    /** unlink(2); a missing file is not an error. */
    public static void unlinkIfExists(String path) throws ErrnoException {
        MemorySegment cs = Native.captureSegment();
        try (Arena a = Arena.ofConfined()) {
            int r;
            try { r = (int) Unlink.H.invokeExact(cs, a.allocateFrom(path)); } catch (Throwable t) { throw Native.unexpected(t); }
            if (r != 0 && Native.errno(cs) != Errno.ENOENT) throw new ErrnoException("unlink", Native.errno(cs));
        }
    }

    /** rename(2): atomically replaces {@code to}. */
    public static void rename(String from, String to) throws ErrnoException {
        MemorySegment cs = Native.captureSegment();
        try (Arena a = Arena.ofConfined()) {
            int r;
            try { r = (int) Rename.H.invokeExact(cs, a.allocateFrom(from), a.allocateFrom(to)); } catch (Throwable t) { throw Native.unexpected(t); }
            if (r != 0) throw new ErrnoException("rename " + from + " to " + to, Native.errno(cs));
        }
    }

    /** umask(2); returns the previous mask. Process-wide: callers restore it at once. */
    public static int umask(int mask) {
        try { return (int) Umask.H.invokeExact(Native.captureSegment(), mask); } catch (Throwable t) { throw Native.unexpected(t); }
    }

    public static int getpid() {
        try { return (int) Getpid.H.invokeExact(Native.captureSegment()); } catch (Throwable t) { throw Native.unexpected(t); }
    }

    /** isatty(3): whether {@code fd} is a terminal (false for files, sockets, /dev/null). */
    public static boolean isatty(int fd) {
        try { return (int) Isatty.H.invokeExact(Native.captureSegment(), fd) == 1; } catch (Throwable t) { throw Native.unexpected(t); }
    }

    /** The C library's text for an errno. */
    public static String strerror(int errno) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(256);
            MemorySegment p;
            try { p = (MemorySegment) StrerrorR.H.invokeExact(Native.captureSegment(), errno, buf, 256L); }
            catch (Throwable t) { throw Native.unexpected(t); }
            return p.reinterpret(1024).getString(0, StandardCharsets.UTF_8);
        }
    }

    private static void checkLen(MemorySegment buf, long len) {
        if (len < 0 || len > buf.byteSize()) {
            throw new IndexOutOfBoundsException("length " + len + " outside buffer of " + buf.byteSize());
        }
    }
}
