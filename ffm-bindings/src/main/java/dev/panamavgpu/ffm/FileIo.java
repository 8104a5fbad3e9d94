package dev.panamavgpu.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Positional file I/O: pread/pwrite and lseek's SEEK_DATA/SEEK_HOLE. Unlike a MAP_SHARED mapping of
 * the file, a full or failing disk is an errno here (ENOSPC, EIO), never a SIGBUS in the middle of a
 * memory copy.
 */
public final class FileIo {
    private FileIo() {}

    static final int SEEK_DATA = 3, SEEK_HOLE = 4;

    private static final class Pread {
        static final MethodHandle H = Native.errnoHandle("pread",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    }
    private static final class Pwrite {
        static final MethodHandle H = Native.errnoHandle("pwrite",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    }
    private static final class Lseek {
        static final MethodHandle H = Native.errnoHandle("lseek",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    }

    /** Writes all of {@code src} at {@code offset} (short writes are continued). */
    public static void pwriteFully(Fd fd, MemorySegment src, long offset) throws ErrnoException {
        if (offset < 0) throw new IllegalArgumentException("offset " + offset);
        MemorySegment cs = Native.captureSegment();
        long done = 0, n = src.byteSize();
        while (done < n) {
            long r;
            try { r = (long) Pwrite.H.invokeExact(cs, fd.get(), src.asSlice(done), n - done, offset + done); }
            catch (Throwable t) { throw Native.unexpected(t); }
            if (r > 0) { done += r; continue; }
            int e = r == 0 ? Errno.ENOSPC : Native.errno(cs); // a write of 0 bytes makes no progress: treat as full
            if (e == Errno.EINTR) continue;
            throw new ErrnoException("pwrite", e);
        }
    }

    /** Reads exactly {@code dst.byteSize()} bytes from {@code offset}; EIO if the file ends first. */
    public static void preadFully(Fd fd, MemorySegment dst, long offset) throws ErrnoException {
        if (offset < 0) throw new IllegalArgumentException("offset " + offset);
        MemorySegment cs = Native.captureSegment();
        long done = 0, n = dst.byteSize();
        while (done < n) {
            long r;
            try { r = (long) Pread.H.invokeExact(cs, fd.get(), dst.asSlice(done), n - done, offset + done); }
            catch (Throwable t) { throw Native.unexpected(t); }
            if (r > 0) { done += r; continue; }
            if (r == 0) throw new ErrnoException("pread (end of file)", Errno.EIO);
            int e = Native.errno(cs);
            if (e == Errno.EINTR) continue;
            throw new ErrnoException("pread", e);
        }
    }

    /** The first offset at or after {@code from} that holds data, or -1 if only holes follow. */
    public static long nextData(Fd fd, long from) throws ErrnoException {
        return seek(fd, from, SEEK_DATA, "lseek(SEEK_DATA)");
    }

    /** The first offset at or after {@code from} inside a hole (the file's size counts as one). */
    public static long nextHole(Fd fd, long from) throws ErrnoException {
        return seek(fd, from, SEEK_HOLE, "lseek(SEEK_HOLE)");
    }

    private static long seek(Fd fd, long from, int whence, String call) throws ErrnoException {
        MemorySegment cs = Native.captureSegment();
        long r;
        try { r = (long) Lseek.H.invokeExact(cs, fd.get(), from, whence); }
        catch (Throwable t) { throw Native.unexpected(t); }
        if (r >= 0) return r;
        int e = Native.errno(cs);
        if (e == Errno.ENXIO) return -1; // past the end, or nothing of that kind after from
        throw new ErrnoException(call, e);
    }
}
