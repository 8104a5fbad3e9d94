package dev.panamavgpu.vnc;

/**
 * What the viewers cost the loop thread: pixel copies made for them (written on the loop thread
 * only, read from anywhere for figures and tests).
 */
public final class VncFigures {
    private volatile long copies, copiedBytes, copyNanos, maxCopyNanos, copyRects, copyRectsDegraded;

    void copied(long bytes, long nanos) {
        copies++;
        copiedBytes += bytes;
        copyNanos += nanos;
        if (nanos > maxCopyNanos) maxCopyNanos = nanos;
    }

    void copyRect(boolean queued) {
        if (queued) copyRects++;
        else copyRectsDegraded++;
    }

    /** Screen copies (QXL COPY_BITS) queued as CopyRect for a viewer, and those sent as pixels instead. */
    public long copyRects() { return copyRects; }
    public long copyRectsDegraded() { return copyRectsDegraded; }

    public long copies() { return copies; }
    public long copiedBytes() { return copiedBytes; }
    public long copyNanos() { return copyNanos; }
    public long maxCopyNanos() { return maxCopyNanos; }
}
