package dev.panamavgpu.gpu.display;

/** Counters of the display channel, for the figures a user can query. */
public final class DisplayStats {
    long updatesSent;
    long bytesSent;
    long damageMerges;
    long damageDropped;
    long directUpdates;
    long updatesCopiedOnUnmap;
    long repliesTimedOut;
    long socketsAccepted;

    public long updatesSent() { return updatesSent; }
    public long bytesSent() { return bytesSent; }
    public long damageMerges() { return damageMerges; }
    /** Damage never sent: its scanout changed or went away, or the GPU socket did. */
    public long damageDropped() { return damageDropped; }
    /** UPDATEs sent straight from resource memory, without a copy. */
    public long directUpdates() { return directUpdates; }
    public long updatesCopiedOnUnmap() { return updatesCopiedOnUnmap; }
    public long repliesTimedOut() { return repliesTimedOut; }
    public long socketsAccepted() { return socketsAccepted; }
}
