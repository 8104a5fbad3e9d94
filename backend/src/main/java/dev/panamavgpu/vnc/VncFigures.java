package dev.panamavgpu.vnc;

/**
 * What the viewers cost the loop thread: pixel copies made for them (written on the loop thread
 * only, read from anywhere for figures and tests).
 */
public final class VncFigures {
    private volatile long copies, copiedBytes, copyNanos, maxCopyNanos;

    void copied(long bytes, long nanos) {
        copies++;
        copiedBytes += bytes;
        copyNanos += nanos;
        if (nanos > maxCopyNanos) maxCopyNanos = nanos;
    }

    public long copies() { return copies; }
    public long copiedBytes() { return copiedBytes; }
    public long copyNanos() { return copyNanos; }
    public long maxCopyNanos() { return maxCopyNanos; }
}
