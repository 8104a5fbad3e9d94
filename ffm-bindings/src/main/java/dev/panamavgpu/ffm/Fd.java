package dev.panamavgpu.ffm;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * An owned file descriptor that is closed exactly once. After close (or {@link #release}) every
 * accessor throws, so a stale Fd can never reach a descriptor number the kernel has reused.
 */
public final class Fd implements AutoCloseable {
    private static final int CLOSED = -1;
    private final AtomicInteger fd;

    private Fd(int fd) {
        if (fd < 0) throw new IllegalArgumentException("negative fd " + fd);
        this.fd = new AtomicInteger(fd);
    }

    /** Takes ownership of a raw descriptor. */
    public static Fd adopt(int fd) { return new Fd(fd); }

    /** The descriptor number; throws if closed. */
    public int get() {
        int v = fd.get();
        if (v == CLOSED) throw new IllegalStateException("fd already closed");
        return v;
    }

    public boolean isOpen() { return fd.get() != CLOSED; }

    /** Hands the number to someone else who will close it; this Fd is closed without closing it. */
    public int release() {
        int v = fd.getAndSet(CLOSED);
        if (v == CLOSED) throw new IllegalStateException("fd already closed");
        return v;
    }

    /** Closes once; later calls do nothing. Errors from close(2) are not actionable and are dropped. */
    @Override
    public void close() {
        int v = fd.getAndSet(CLOSED);
        if (v != CLOSED) Libc.closeQuietly(v);
    }

    @Override
    public String toString() {
        int v = fd.get();
        return v == CLOSED ? "Fd(closed)" : "Fd(" + v + ")";
    }
}
