package dev.panamavgpu.ffm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** eventfd(2) and its 8-byte counter reads and writes. */
public final class EventFd {
    private EventFd() {}

    public static final int EFD_SEMAPHORE = 0x1, EFD_NONBLOCK = 0x800, EFD_CLOEXEC = 0x80000;

    private static final class Eventfd {
        static final MethodHandle H = Native.errnoHandle("eventfd",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }

    public static Fd create(boolean nonBlocking) throws ErrnoException {
        MemorySegment cs = Native.captureSegment();
        int r;
        try { r = (int) Eventfd.H.invokeExact(cs, 0, EFD_CLOEXEC | (nonBlocking ? EFD_NONBLOCK : 0)); }
        catch (Throwable t) { throw Native.unexpected(t); }
        if (r < 0) throw new ErrnoException("eventfd", Native.errno(cs));
        return Fd.adopt(r);
    }

    /** Adds {@code value} to the counter. A full counter (EAGAIN) still wakes the reader, so it is not an error. */
    public static void signal(int fd, long value) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            Libc.write(fd, a.allocateFrom(JAVA_LONG, value), 8);
        }
    }

    /** Reads and resets the counter; 0 if it was zero on a non-blocking eventfd. */
    public static long drain(int fd) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_LONG);
            long n = Libc.read(fd, v, 8);
            return n == 8 ? v.get(JAVA_LONG, 0) : 0;
        }
    }
}
