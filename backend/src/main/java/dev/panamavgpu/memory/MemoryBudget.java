package dev.panamavgpu.memory;

/**
 * Host bytes a guest may cause, charged before they are allocated. A charge that would pass the
 * limit is refused (the guest gets ERR_OUT_OF_MEMORY) and nothing is allocated. Owned by one
 * device's loop thread.
 */
public final class MemoryBudget {
    private final long limit;
    private long charged;
    private long peak;
    private long refusals;

    public MemoryBudget(long limitBytes) {
        if (limitBytes <= 0) throw new IllegalArgumentException("budget " + limitBytes);
        this.limit = limitBytes;
    }

    /** Reserves {@code bytes}; false (and nothing reserved) if that would exceed the limit. */
    public boolean tryCharge(long bytes) {
        if (bytes < 0) throw new IllegalArgumentException("negative charge");
        if (bytes > limit - charged) {
            refusals++;
            return false;
        }
        charged += bytes;
        peak = Math.max(peak, charged);
        return true;
    }

    public void release(long bytes) {
        if (bytes < 0 || bytes > charged) throw new IllegalStateException("releasing " + bytes + " of " + charged + " charged");
        charged -= bytes;
    }

    public long limit() { return limit; }
    public long charged() { return charged; }
    public long peak() { return peak; }
    public long refusals() { return refusals; }
}
