package dev.panamavgpu.cli;

import dev.panamavgpu.gpu.device.GpuDevice;
import dev.panamavgpu.gpu.device.GpuFigures;
import dev.panamavgpu.gpu.device.GpuLimits;
import dev.panamavgpu.gpu.display.ScreenWatcher;
import dev.panamavgpu.memory.HostMemory;
import dev.panamavgpu.memory.HostShrinker;
import dev.panamavgpu.memory.MemoryManager;
import dev.panamavgpu.memory.VmShare;
import dev.panamavgpu.vhostuser.backend.FrontEndIdentity;
import dev.panamavgpu.vhostuser.backend.VhostUserDevice;
import dev.panamavgpu.vhostuser.backend.VhostUserServer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The VMs of a process serving many (--max-vms > 1): for each, made on its own loop thread when it
 * connects, a memory manager charging the host's budget through its {@link VmShare} and a device;
 * released on that thread when it ends. Other threads read the table only to ask each VM's loop for
 * its figures.
 */
final class VmTable implements VhostUserServer.DeviceFactory {
    /** How long the figures wait for one VM's loop. */
    static final long FIGURES_WAIT_MILLIS = 2000;

    /** One VM; {@code device} and {@code memory} are used on {@code peer.loop()}'s thread only. */
    record Vm(VhostUserServer.Peer peer, String commandLine, MemoryManager memory, VmShare share, GpuDevice device) {}

    private final GpuLimits limits;
    private final VmSlots slots;
    private final HostMemory host;
    private final Map<Long, Vm> vms = new ConcurrentHashMap<>();

    VmTable(GpuLimits limits, VmSlots slots, HostMemory host) {
        this.limits = limits;
        this.slots = slots;
        this.host = host;
    }

    HostMemory host() { return host; }
    int size() { return vms.size(); }

    @Override
    public VhostUserDevice create(VhostUserServer.Peer peer) {
        MemoryManager[] memory = new MemoryManager[1];
        // the shrinker's requests run as tasks on this VM's loop, the only thread touching its buffers
        VmShare share = host.join("VM " + peer.number(), (bytes, done) -> peer.loop().execute(() -> {
            try {
                memory[0].reclaim(bytes);
            } finally {
                done.run();
            }
        }));
        try {
            memory[0] = new MemoryManager(slots.vmLimits(), host, share, slots.vmMaxPinned());
        } catch (RuntimeException e) {
            share.leave();
            throw e;
        }
        GpuDevice device = new GpuDevice(limits, memory[0], ScreenWatcher.NONE);
        vms.put(peer.number(), new Vm(peer, FrontEndIdentity.commandLine(peer.pid()), memory[0], share, device));
        return device;
    }

    @Override
    public void ended(VhostUserServer.Peer peer) {
        Vm vm = vms.remove(peer.number());
        if (vm != null) vm.memory().close(); // the device has freed its buffers on detach
    }

    /** Per VM and in all, as {@code name value} lines; from any thread (each VM's loop is asked). */
    String figuresText(HostShrinker shrinker, VhostUserServer server) {
        List<Vm> all = new ArrayList<>(vms.values());
        all.sort(Comparator.comparingLong(v -> v.peer().number()));
        List<CompletableFuture<GpuFigures>> asked = new ArrayList<>();
        for (Vm vm : all) asked.add(vm.peer().loop().submit(() -> vm.device().figures(shrinker.pressureEpisodes())));
        StringBuilder b = new StringBuilder();
        Map<String, Long> sums = new LinkedHashMap<>();
        StringBuilder perVm = new StringBuilder();
        long deadline = System.nanoTime() + FIGURES_WAIT_MILLIS * 1_000_000L;
        for (int i = 0; i < all.size(); i++) {
            Vm vm = all.get(i);
            String p = "vm." + vm.peer().number() + ".";
            perVm.append(p).append("peer ").append(vm.peer().who().isEmpty() ? "unknown" : vm.peer().who()).append('\n');
            perVm.append(p).append("pid ").append(vm.peer().pid()).append('\n');
            // unreadable under the sandbox's Landlock layer, which confines /proc to our own pid (docs/security.md)
            perVm.append(p).append("command_line ").append(vm.commandLine().isEmpty() ? "unknown" : vm.commandLine()).append('\n');
            GpuFigures f;
            try {
                f = asked.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                perVm.append(p).append("error did not answer: ").append(e).append('\n');
                continue;
            }
            for (String line : f.text().split("\n")) {
                int sp = line.indexOf(' ');
                String name = line.substring(0, sp);
                long value = Long.parseLong(line.substring(sp + 1));
                if (!name.startsWith("max_")) sums.merge(name, value, Long::sum);
                perVm.append(p).append(line).append('\n');
            }
            perVm.append(p).append("fair_share_bytes ").append(vm.share().fairShare()).append('\n');
            perVm.append(p).append("reclaimed_bytes ").append(vm.share().reclaimedBytes()).append('\n');
        }
        b.append("vms ").append(all.size()).append('\n');
        b.append("max_vms ").append(slots.maxVms()).append('\n');
        b.append("vms_served ").append(server.connectionsServed()).append('\n');
        b.append("vms_refused ").append(server.connectionsRefused()).append('\n');
        b.append("host_resident_bytes ").append(host.resident()).append('\n');
        b.append("host_total_bytes ").append(host.total()).append('\n');
        b.append("host_peak_resident_bytes ").append(host.peakResident()).append('\n');
        b.append("host_overshoots ").append(host.overshoots()).append('\n');
        b.append("shrinker_requests ").append(shrinker.requests()).append('\n');
        b.append("max_resident ").append(host.maxResident()).append('\n');
        b.append("max_total ").append(host.maxTotal()).append('\n');
        b.append("vm_max_resident ").append(slots.vmLimits().maxResident()).append('\n');
        b.append("vm_max_total ").append(slots.vmLimits().maxTotal()).append('\n');
        b.append("vm_max_pinned ").append(slots.vmMaxPinned()).append('\n');
        sums.forEach((k, v) -> {
            if (!k.equals("pressure_episodes")) b.append(k).append(' ').append(v).append('\n');
        });
        b.append("pressure_episodes ").append(shrinker.pressureEpisodes()).append('\n');
        return b.append(perVm).toString();
    }
}
