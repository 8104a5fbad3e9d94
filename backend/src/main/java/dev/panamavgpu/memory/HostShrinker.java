package dev.panamavgpu.memory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one shrinker of a process serving many VMs, on a platform thread of its own
 * ("memory-shrinker"). Every round (at once when a VM was granted bytes past the budget, else every
 * {@link #ROUND_MILLIS}) it:
 * <ol>
 *   <li>advances the use epoch every {@link #EPOCH_MILLIS} (a VM's demand is what it pinned plus what
 *       it used in the current or last epoch);</li>
 *   <li>splits the host's resident budget by demand (max-min fair: a VM using less than an even split
 *       gets what it uses, the rest is split evenly among the others) and publishes each VM's share;</li>
 *   <li>if the host holds more than the budget less a headroom of 1/16, asks the VMs furthest above
 *       their share to move their coldest unpinned buffers out (a task on each VM's loop thread, at
 *       most one in flight per VM), and under host memory pressure (PSI, cgroup events; the same gauge
 *       as the single-VM shrinker) half of every VM's movable bytes above its share, then the rest.</li>
 * </ol>
 * It never touches a buffer: only each VM's loop thread does (docs/memory.md, "Many VMs").
 */
public final class HostShrinker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HostShrinker.class);
    public static final long ROUND_MILLIS = 100;
    public static final long EPOCH_MILLIS = 1000;
    static final long PRESSURE_MILLIS = Shrinker.PERIOD_MILLIS;

    private final HostMemory host;
    private final Supplier<String> pressure;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long rounds, requests, pressureEpisodes;
    private String episode;

    public HostShrinker(HostMemory host, Supplier<String> pressure) {
        this.host = host;
        this.pressure = pressure;
        this.thread = new Thread(this::run, "memory-shrinker");
        thread.setDaemon(true);
        host.onWake(() -> LockSupport.unpark(thread));
    }

    public HostShrinker start() {
        thread.start();
        return this;
    }

    public long rounds() { return rounds; }
    /** Reclaim requests posted to VMs' loops. */
    public long requests() { return requests; }
    public long pressureEpisodes() { return pressureEpisodes; }

    private void run() {
        long lastEpoch = System.nanoTime(), lastPressure = 0;
        while (running) {
            LockSupport.parkNanos(ROUND_MILLIS * 1_000_000L);
            if (!running) break;
            long now = System.nanoTime();
            if (now - lastEpoch >= EPOCH_MILLIS * 1_000_000L) {
                host.advanceEpoch();
                lastEpoch = now;
            }
            boolean underPressure = false;
            if (now - lastPressure >= PRESSURE_MILLIS * 1_000_000L) {
                lastPressure = now;
                underPressure = pressureNow();
            }
            try {
                round(underPressure);
            } catch (RuntimeException e) {
                log.error("shrinker round failed", e); // a VM's loop refused the task, say; the next round tries again
            }
        }
    }

    private boolean pressureNow() {
        String p = pressure.get();
        if (p == null) {
            if (episode != null) log.info("host memory pressure ended ({})", episode);
            episode = null;
            return false;
        }
        if (episode == null) {
            episode = p;
            pressureEpisodes++;
            log.info("host memory pressure ({}): moving cold buffers of every VM to the page file", p);
        }
        return true;
    }

    /** One round: shares, then reclaim requests. Package-private so a test can drive rounds itself. */
    void round(boolean underPressure) {
        rounds++;
        List<VmShare> vms = host.shares();
        if (vms.isEmpty()) return;
        long epoch = host.epoch();
        Map<VmShare, Long> share = fairShares(vms, epoch, host.maxResident());
        share.forEach(VmShare::setFairShare);
        long target = host.maxResident() - host.maxResident() / 16;
        long need = host.resident() - target;
        if (underPressure) {
            long movable = 0;
            for (VmShare v : vms) movable += Math.max(0, v.resident() - v.pinned());
            need = Math.max(need, movable / 2);
        }
        if (need <= 0) return;
        // furthest above their share first
        List<VmShare> order = new ArrayList<>(vms);
        order.sort(Comparator.comparingLong((VmShare v) -> v.resident() - share.get(v)).reversed());
        for (VmShare v : order) {
            if (need <= 0) break;
            long above = Math.min(v.resident() - share.get(v), v.resident() - v.pinned());
            if (above <= 0) continue;
            long ask = Math.min(above, need);
            if (v.requestReclaim(ask)) requests++;
            need -= ask;
        }
    }

    /**
     * Max-min fair split of {@code budget} by demand: VMs are served in order of demand; each gets its
     * demand if that is at most an even split of what is left, else every remaining VM gets the even split.
     */
    static Map<VmShare, Long> fairShares(List<VmShare> vms, long epoch, long budget) {
        List<VmShare> byDemand = new ArrayList<>(vms);
        Map<VmShare, Long> demand = new HashMap<>();
        for (VmShare v : vms) demand.put(v, v.demand(epoch));
        byDemand.sort(Comparator.comparingLong(demand::get));
        Map<VmShare, Long> share = new HashMap<>();
        long left = budget;
        int remaining = byDemand.size();
        for (VmShare v : byDemand) {
            long even = left / remaining;
            long s = Math.min(demand.get(v), even);
            share.put(v, s);
            left -= s;
            remaining--;
        }
        return share;
    }

    @Override
    public void close() {
        running = false;
        LockSupport.unpark(thread);
    }
}
