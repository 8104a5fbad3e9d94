package dev.panamavgpu.testguest.cli;

import dev.panamavgpu.testguest.backend.BackendCommand;
import dev.panamavgpu.testguest.vm.GuestScenario;
import dev.panamavgpu.testguest.vncbench.VncBench;
import dev.panamavgpu.testguest.vncbench.VncBenchPlan;
import dev.panamavgpu.testguest.vncbench.VncBenchReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code test-guest vncbench}: frames to one VNC viewer, ours against QEMU's own VNC server. */
@Command(name = "vncbench", mixinStandardHelpOptions = true,
        description = "Frames per second, bytes and CPU per frame delivered to one local VNC viewer (Raw and Tight) at 1920x1080 and 3840x2160, and slow-viewer figures: our backend with --vnc driven by the in-JVM guest, then a real Linux guest under QEMU (TCG) page-flipping full frames behind QEMU's own VNC server (-device virtio-gpu-pci -vnc) and behind our backend (vhost-user-gpu-pci).")
public final class VncBenchCommand implements Callable<Integer> {
    @Option(names = "--backend", required = true, paramLabel = "'CMD ARGS...'", description = "Our backend command; --socket-path and --vnc are appended.")
    String backend;

    @Option(names = "--quick", description = "Seconds: short windows, in-JVM guest only (checks the harness, not the figures).")
    boolean quick;

    @Option(names = "--no-real-guest", description = "Skip the QEMU VMs (the anchor).")
    boolean noRealGuest;

    @Option(names = "--no-slow-viewer", description = "Skip the slow-viewer figures.")
    boolean noSlow;

    @Option(names = "--guest-fps", paramLabel = "N", description = "The real guest flips at most N times a second (default: as fast as it can).")
    Integer guestFps;

    @Option(names = "--window", paramLabel = "SECONDS", description = "Length of each measurement window (default 6).")
    Double window;

    @Option(names = "--size", paramLabel = "WxH", description = "Screen size (repeatable; default 1920x1080 and 3840x2160).")
    java.util.List<String> sizes;

    @Option(names = "--guest", paramLabel = "DIR", description = "vmlinuz + initramfs.cpio.gz (default: built by test-guest/guest/build-initramfs).")
    Path guest;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Sockets and logs (default: a new temporary directory).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        VncBenchPlan plan = quick ? VncBenchPlan.quick() : VncBenchPlan.full();
        if (noRealGuest) plan = plan.withRealGuest(false);
        if (window != null) plan = plan.withWindowMillis(Math.round(window * 1000));
        if (guestFps != null) plan = plan.withGuestFps(guestFps);
        if (noSlow) plan = plan.withSlowBytesPerSecond(0);
        if (sizes != null) {
            var list = sizes.stream().map(s -> s.split("x")).map(a -> new VncBenchPlan.Size(Integer.parseInt(a[0]), Integer.parseInt(a[1]))).toList();
            plan = plan.withSizes(list);
        }
        Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("test-guest-vncbench");
        Path g = plan.realGuest() ? (guest != null ? guest : GuestScenario.buildGuest(null)) : null;
        BackendCommand ours = BackendLabels.of(java.util.List.of(backend), java.util.List.of()).getFirst();
        VncBenchReport r = VncBench.run(ours, plan, g, dir, System.err);
        System.out.print(r.text());
        return 0;
    }
}
