package dev.panamavgpu.testguest.vncbench;

import java.util.List;

/**
 * What one {@code test-guest vncbench} run measures: screen sizes, the warm-up before and the length of each
 * window, whether the real-guest part (QEMU under TCG, minutes) runs, the slow viewer's byte rate (0: no
 * slow-viewer figures), and the real guest's flip rate cap (0: as fast as it can).
 */
public record VncBenchPlan(List<Size> sizes, long warmMillis, long windowMillis, boolean realGuest, long slowBytesPerSecond, int guestFps) {
    public record Size(int width, int height) {
        @Override
        public String toString() { return width + "x" + height; }
    }

    public static final List<Size> SIZES = List.of(new Size(1920, 1080), new Size(3840, 2160));

    public static VncBenchPlan full() { return new VncBenchPlan(SIZES, 2_000, 6_000, true, 1_000_000, 0); }

    /**
     * Seconds: one small window per figure, the in-JVM guest only, a 4 MB/s "slow" viewer so that its catch-up
     * takes seconds (checks the harness, not the figures).
     */
    public static VncBenchPlan quick() { return new VncBenchPlan(SIZES, 200, 500, false, 4_000_000, 0); }

    public VncBenchPlan withRealGuest(boolean on) { return new VncBenchPlan(sizes, warmMillis, windowMillis, on, slowBytesPerSecond, guestFps); }
    public VncBenchPlan withSizes(List<Size> s) { return new VncBenchPlan(s, warmMillis, windowMillis, realGuest, slowBytesPerSecond, guestFps); }
    public VncBenchPlan withWindowMillis(long ms) { return new VncBenchPlan(sizes, warmMillis, ms, realGuest, slowBytesPerSecond, guestFps); }
    public VncBenchPlan withSlowBytesPerSecond(long b) { return new VncBenchPlan(sizes, warmMillis, windowMillis, realGuest, b, guestFps); }
    public VncBenchPlan withGuestFps(int f) { return new VncBenchPlan(sizes, warmMillis, windowMillis, realGuest, slowBytesPerSecond, f); }
}
