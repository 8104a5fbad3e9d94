package dev.panamavgpu.gpu.display;

/** Counters of the display channel, for the figures a user can query. */
public final class DisplayStats {
    long updatesSent;
    long bytesSent;
    long damageMerges;
    long repliesTimedOut;
    long socketsAccepted;

    public long updatesSent() { return updatesSent; }
    public long bytesSent() { return bytesSent; }
    public long damageMerges() { return damageMerges; }
    public long repliesTimedOut() { return repliesTimedOut; }
    public long socketsAccepted() { return socketsAccepted; }
}
