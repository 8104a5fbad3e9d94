package dev.panamavgpu.cli;

import dev.panamavgpu.memory.MemoryLimits;
import dev.panamavgpu.vhostuser.backend.PeerPolicy;
import java.util.Set;

/**
 * How many VMs one process serves (--max-vms) and what each may hold. With one (the default) the
 * memory limits are the VM's, as they always were. With more, --max-resident and --max-total are the
 * host's (all VMs together), and each VM is capped by --vm-max-resident (default: half the host's
 * resident budget, at most the VM's total) and --vm-max-total (default: half the host's total), so that no VM can take
 * everything; a VM's pinned bytes (scanouts) are bounded by the host's resident budget split evenly
 * over the slots, so pinned memory of all VMs together always fits the budget.
 */
record VmSlots(int maxVms, Set<Integer> allowedUids, MemoryLimits vmLimits, long vmMaxPinned) {

    static VmSlots one(MemoryLimits limits) {
        return new VmSlots(1, Set.of(), limits, Long.MAX_VALUE);
    }

    /** {@code vmMaxResident}/{@code vmMaxTotal}: null for the defaults. */
    static VmSlots of(int maxVms, Set<Integer> allowedUids, MemoryLimits host, Long vmMaxResident, Long vmMaxTotal) {
        if (maxVms < 1 || maxVms > PeerPolicy.MAX_CONNECTIONS)
            throw new IllegalArgumentException("--max-vms must be 1.." + PeerPolicy.MAX_CONNECTIONS);
        if (maxVms == 1) {
            if (vmMaxResident != null || vmMaxTotal != null || !allowedUids.isEmpty())
                throw new IllegalArgumentException("--vm-max-resident, --vm-max-total and --allow-uid need --max-vms > 1");
            return one(host);
        }
        long total = vmMaxTotal != null ? vmMaxTotal : host.maxTotal() / 2;
        long resident = vmMaxResident != null ? vmMaxResident : Math.min(host.maxResident() / 2, total);
        if (resident > total) throw new IllegalArgumentException("--vm-max-resident is larger than --vm-max-total");
        if (resident > host.maxResident() || total > host.maxTotal())
            throw new IllegalArgumentException("--vm-max-resident/--vm-max-total exceed --max-resident/--max-total");
        return new VmSlots(maxVms, allowedUids, new MemoryLimits(resident, total, host.pageDirectory()),
                host.maxResident() / maxVms);
    }

    boolean many() { return maxVms > 1; }

    /**
     * Why these slots cannot go with the other options, or null. 3D is refused: virglrenderer keeps
     * global state per process (one renderer thread, one set of contexts and fences), so 3D VMs run
     * one per process.
     */
    static String conflict(int maxVms, boolean fd, boolean vnc, boolean virgl) {
        if (maxVms <= 1) return null;
        if (virgl) return "--virgl runs one VM per process (virglrenderer keeps global state per process); it cannot go with --max-vms > 1";
        if (fd) return "--fd serves the one front-end libvirt connected; --max-vms needs --socket-path";
        if (vnc) return "--vnc shows one VM's screen; it cannot go with --max-vms > 1";
        return null;
    }
}
