package dev.panamavgpu.testguest.vncbench;

import dev.panamavgpu.testguest.backend.BackendCommand;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The VNC bench: our backend's --vnc with the in-JVM guest (its peak), then, with plan.realGuest, the same
 * real Linux guest under QEMU behind QEMU's own VNC server (the anchor) and behind ours.
 */
public final class VncBench {
    public static final String QEMU_LABEL = "QEMU -vnc";

    private VncBench() {}

    public static VncBenchReport run(BackendCommand ours, VncBenchPlan plan, Path guestDir, Path dir, PrintStream progress)
            throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        double load0 = LoadAverage.now();
        say(progress, "ours, in-JVM guest");
        rows.addAll(InJvmBench.run(ours, plan, dir, ours.label()));
        SlowViewerBench.Result slow = null;
        if (plan.slowBytesPerSecond() > 0) {
            say(progress, "slow viewer");
            slow = SlowViewerBench.run(ours, plan, dir);
        }
        if (plan.realGuest()) {
            say(progress, "QEMU's VNC server, real guest");
            rows.addAll(RealGuestBench.run(RealGuestBench.Server.QEMU, ours, QEMU_LABEL, plan, guestDir, dir));
            say(progress, "ours, real guest");
            rows.addAll(RealGuestBench.run(RealGuestBench.Server.OURS, ours, ours.label(), plan, guestDir, dir));
        }
        return new VncBenchReport(rows, slow, load0, LoadAverage.now(), ours.label(), QEMU_LABEL);
    }

    private static void say(PrintStream p, String what) {
        if (p != null) p.println("vncbench: " + what);
    }
}
