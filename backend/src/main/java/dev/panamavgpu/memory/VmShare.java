package dev.panamavgpu.memory;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One VM's standing in the {@link HostMemory} budget, the only state two threads share about it:
 * the VM's loop thread writes what it holds and what it used lately (plain volatile writes, no
 * lock), the {@link HostShrinker} thread reads them, publishes the VM's fair share, and asks for
 * bytes back through {@link Reclaimer}, which posts a task to the VM's loop; at most one such request
 * is in flight per VM. Buffers themselves are only ever touched by the VM's loop thread.
 */
public final class VmShare {
    /** Asks the VM's loop thread to move up to {@code bytes} of its coldest unpinned buffers out; from the shrinker thread. */
    @FunctionalInterface
    public interface Reclaimer {
        void reclaim(long bytes, Runnable done);
    }

    private final HostMemory host;
    private final String name;
    private final Reclaimer reclaimer;
    private final AtomicBoolean reclaiming = new AtomicBoolean();
    // written by the VM's loop thread
    private volatile long resident, pinned;
    private volatile long useEpoch, usedThisEpoch, usedLastEpoch;
    private volatile long reclaimedBytes, reclaims;
    // written by the shrinker
    private volatile long fairShare;

    VmShare(HostMemory host, String name, Reclaimer reclaimer) {
        this.host = host;
        this.name = name;
        this.reclaimer = reclaimer;
        this.fairShare = host.guarantee();
    }

    public String name() { return name; }
    public long resident() { return resident; }
    public long pinned() { return pinned; }
    public long fairShare() { return fairShare; }
    /** Bytes the shrinker took back from this VM, and how many requests that took. */
    public long reclaimedBytes() { return reclaimedBytes; }
    public long reclaims() { return reclaims; }

    /** What the VM may hold resident while the host is over its budget. */
    long allowance() { return Math.max(fairShare, host.guarantee()); }

    /**
     * What the VM is using: its pinned bytes plus the buffers it used in the current or the last
     * epoch (the larger of the two). Read on the shrinker thread; the fields may be a moment stale.
     */
    long demand(long epochNow) {
        long e = useEpoch;
        long recent = e == epochNow ? Math.max(usedThisEpoch, usedLastEpoch) : e == epochNow - 1 ? usedThisEpoch : 0;
        return pinned + recent;
    }

    // ---- the VM's loop thread ----

    /** A buffer of {@code size} bytes was used and had not been in this epoch. */
    void noteUse(long size, long epochNow) {
        if (useEpoch != epochNow) {
            usedLastEpoch = useEpoch == epochNow - 1 ? usedThisEpoch : 0;
            usedThisEpoch = 0;
            useEpoch = epochNow;
        }
        usedThisEpoch += size;
    }

    void publish(long residentBytes, long pinnedBytes) {
        resident = residentBytes;
        pinned = pinnedBytes;
    }

    void reclaimed(long bytes) {
        reclaimedBytes += bytes;
        reclaims++;
    }

    boolean tryChargeResident(long bytes) {
        return host.tryChargeResident(bytes, resident + bytes <= allowance());
    }

    void releaseResident(long bytes) { host.releaseResident(bytes); }
    boolean tryChargeTotal(long bytes) { return host.tryChargeTotal(bytes); }
    void releaseTotal(long bytes) { host.releaseTotal(bytes); }
    public void leave() { host.leave(this); }

    // ---- the shrinker thread ----

    void setFairShare(long bytes) { fairShare = bytes; }

    /** Asks for {@code bytes} back unless a request is still in flight; true if asked. */
    boolean requestReclaim(long bytes) {
        if (!reclaiming.compareAndSet(false, true)) return false;
        try {
            reclaimer.reclaim(bytes, () -> reclaiming.set(false));
        } catch (RuntimeException e) {
            reclaiming.set(false);
            throw e;
        }
        return true;
    }
}
