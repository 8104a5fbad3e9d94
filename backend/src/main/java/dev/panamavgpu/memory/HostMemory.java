package dev.panamavgpu.memory;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The host-wide budget of a process serving many VMs (--max-vms): every VM's {@link MemoryManager}
 * charges its resident and total bytes here as well as against its own caps. Lock-free: charges are
 * compare-and-set on two counters, so a VM's loop thread never waits for another VM.
 *
 * <p>The rule for resident bytes (docs/memory.md, "Many VMs"): a charge that keeps the host within
 * {@code maxResident} is granted. Past it, a VM still within its share (the larger of its fair share,
 * which {@link HostShrinker} publishes, and its guarantee {@code maxResident / maxVms}) is granted
 * and the shrinker is woken to take the excess back from the VMs furthest above their share; a VM
 * above its share moves its own coldest buffers out first. Total bytes are a hard limit.
 */
public final class HostMemory {
    private final long maxResident;
    private final long maxTotal;
    private final int maxVms;
    private final AtomicLong resident = new AtomicLong();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong peakResident = new AtomicLong();
    private final AtomicLong overshoots = new AtomicLong();
    private final AtomicLong totalRefusals = new AtomicLong();
    private final Set<VmShare> shares = ConcurrentHashMap.newKeySet();
    private volatile long epoch;        // advanced by the shrinker; buffers used in an epoch make up a VM's demand
    private volatile Runnable wake = () -> {};

    public HostMemory(long maxResident, long maxTotal, int maxVms) {
        if (maxResident <= 0 || maxTotal < maxResident) throw new IllegalArgumentException("host budget " + maxResident + "/" + maxTotal);
        if (maxVms < 1) throw new IllegalArgumentException("max VMs " + maxVms);
        this.maxResident = maxResident;
        this.maxTotal = maxTotal;
        this.maxVms = maxVms;
    }

    public long maxResident() { return maxResident; }
    public long maxTotal() { return maxTotal; }
    public int maxVms() { return maxVms; }
    /** What every VM may hold resident whatever the others do: the budget split evenly over the slots. */
    public long guarantee() { return maxResident / maxVms; }
    public long resident() { return resident.get(); }
    public long total() { return total.get(); }
    public long peakResident() { return peakResident.get(); }
    /** Charges granted past the budget to a VM within its share (the shrinker then took the excess back). */
    public long overshoots() { return overshoots.get(); }
    public long totalRefusals() { return totalRefusals.get(); }
    public long epoch() { return epoch; }
    void advanceEpoch() { epoch++; }
    public List<VmShare> shares() { return List.copyOf(shares); }

    /** How the shrinker is woken at once (it polls anyway). */
    void onWake(Runnable r) { this.wake = r; }

    /** A VM joins; {@code reclaim} asks its loop thread to move bytes out (called from the shrinker's thread). */
    public VmShare join(String name, VmShare.Reclaimer reclaim) {
        VmShare s = new VmShare(this, name, reclaim);
        shares.add(s);
        return s;
    }

    void leave(VmShare s) { shares.remove(s); }

    boolean tryChargeTotal(long bytes) {
        while (true) {
            long now = total.get();
            if (bytes > maxTotal - now) {
                totalRefusals.incrementAndGet();
                return false;
            }
            if (total.compareAndSet(now, now + bytes)) return true;
        }
    }

    void releaseTotal(long bytes) { total.addAndGet(-bytes); }

    /** The resident rule above; {@code withinShare}: the VM would stay within its share. */
    boolean tryChargeResident(long bytes, boolean withinShare) {
        while (true) {
            long now = resident.get();
            boolean fits = bytes <= maxResident - now;
            if (!fits && !withinShare) return false;
            if (resident.compareAndSet(now, now + bytes)) {
                peakResident.accumulateAndGet(now + bytes, Math::max);
                if (!fits) {
                    overshoots.incrementAndGet();
                    wake.run();
                }
                return true;
            }
        }
    }

    void releaseResident(long bytes) { resident.addAndGet(-bytes); }
}
