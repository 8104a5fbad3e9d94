package dev.panamavgpu.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Unnamed files on a real file system, for data the kernel may write back and drop: open(O_TMPFILE)
 * (the file has no name, so nothing is left behind if the process dies) and fallocate's hole punching
 * (freed ranges give their disk blocks back while the file keeps its size).
 */
public final class TmpFiles {
    private TmpFiles() {}

    static final int O_RDWR = 0x2, O_CLOEXEC = 0x80000, O_TMPFILE = 0x410000; // __O_TMPFILE | O_DIRECTORY
    static final int FALLOC_FL_KEEP_SIZE = 0x1, FALLOC_FL_PUNCH_HOLE = 0x2;

    private static final class Open {
        static final MethodHandle H = Native.errnoHandle("open",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    }
    private static final class Fallocate {
        static final MethodHandle H = Native.errnoHandle("fallocate",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    }

    /** A new, empty, unnamed read-write file in {@code directory}, readable only by this process. */
    public static Fd openUnnamed(String directory) throws ErrnoException {
        MemorySegment cs = Native.captureSegment();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment path = a.allocateFrom(directory);
            while (true) {
                int r;
                try { r = (int) Open.H.invokeExact(cs, path, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600); }
                catch (Throwable t) { throw Native.unexpected(t); }
                if (r >= 0) return Fd.adopt(r);
                if (Native.errno(cs) != Errno.EINTR) throw new ErrnoException("open(O_TMPFILE) in " + directory, Native.errno(cs));
            }
        }
    }

    /** Frees the blocks of {@code [offset, offset+length)}; reads of the range return zeros afterwards. */
    public static void punchHole(Fd fd, long offset, long length) throws ErrnoException {
        MemorySegment cs = Native.captureSegment();
        while (true) {
            int r;
            try { r = (int) Fallocate.H.invokeExact(cs, fd.get(), FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length); }
            catch (Throwable t) { throw Native.unexpected(t); }
            if (r == 0) return;
            if (Native.errno(cs) != Errno.EINTR) throw new ErrnoException("fallocate(PUNCH_HOLE)", Native.errno(cs));
        }
    }
}
