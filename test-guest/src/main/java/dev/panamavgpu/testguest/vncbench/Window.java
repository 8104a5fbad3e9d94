package dev.panamavgpu.testguest.vncbench;

import java.io.IOException;

/**
 * One measurement window: counters of a viewer (if any), of the guest's frames and of the server process's
 * CPU time (and that of every process serving the guest: QEMU too when the VNC server is our backend), read at
 * its start and end. Frames delivered = pixels painted / screen pixels (full-screen
 * equivalents), so a server that splits a frame into several updates and one that merges frames count alike.
 */
record Window(double seconds, long updates, long pixels, long bytes, double cpuSeconds, double allCpuSeconds, double guestFps,
              long screenPixels) {
    /**
     * Measures for {@code millis} (after the caller's warm-up); {@code viewer} null: the guest and the server alone.
     * {@code pids[0]} is the VNC server's process, the rest the other processes the guest's frames go through.
     */
    static Window measure(ViewerLoop viewer, long[] pids, GuestRate guest, int w, int h, long millis)
            throws IOException, InterruptedException {
        ViewerLoop.Snapshot a = viewer == null ? ViewerLoop.Snapshot.NONE : viewer.snapshot();
        double[] cpu0 = cpu(pids);
        GuestRate.Mark g0 = guest.mark();
        long t0 = System.nanoTime();
        Thread.sleep(millis);
        ViewerLoop.Snapshot b = viewer == null ? ViewerLoop.Snapshot.NONE : viewer.snapshot();
        double[] cpu1 = cpu(pids);
        GuestRate.Mark g1 = guest.mark();
        long t1 = System.nanoTime();
        return new Window((t1 - t0) / 1e9, b.updates() - a.updates(), b.pixels() - a.pixels(), b.bytes() - a.bytes(),
                cpu1[0] - cpu0[0], cpu1[1] - cpu0[1], GuestRate.between(g0, g1), (long) w * h);
    }

    /** The first process's CPU seconds and the sum over all. */
    private static double[] cpu(long[] pids) throws IOException {
        double first = ProcCpu.seconds(pids[0]), all = first;
        for (int i = 1; i < pids.length; i++) all += ProcCpu.seconds(pids[i]);
        return new double[] {first, all};
    }

    double frames() { return (double) pixels / screenPixels; }
    double fps() { return frames() / seconds; }
    double updatesPerSecond() { return updates / seconds; }
    double bytesPerFrame() { return frames() > 0 ? bytes / frames() : Double.NaN; }
    double cpuMsPerFrame() { return frames() > 0 ? cpuSeconds * 1e3 / frames() : Double.NaN; }
    double cpuPercent() { return cpuSeconds * 100 / seconds; }
    double allCpuMsPerFrame() { return frames() > 0 ? allCpuSeconds * 1e3 / frames() : Double.NaN; }
    double allCpuPercent() { return allCpuSeconds * 100 / seconds; }
}
