package dev.panamavgpu.ffm;

import java.io.IOException;

/** A failed libc call: which call, which errno, and the system's text for it. */
public final class ErrnoException extends IOException {
    private final String call;
    private final int errno;

    public ErrnoException(String call, int errno) {
        super(call + ": " + Errno.name(errno) + " (" + Libc.strerror(errno) + ")");
        this.call = call;
        this.errno = errno;
    }

    public String call() { return call; }
    public int errno() { return errno; }
    public String errnoName() { return Errno.name(errno); }
}
