package dev.panamavgpu.testguest.vncbench;

import java.util.List;

/**
 * What one {@code test-guest vncbench} run measures: screen sizes, the warm-up before and the length of each
 * window, and whether the real-guest part (QEMU under TCG, minutes) runs.
 */
public record VncBenchPlan(List<Size> sizes, long warmMillis, long windowMillis, boolean realGuest) {
    public record Size(int width, int height) {
        @Override
        public String toString() { return width + "x" + height; }
    }

    public static final List<Size> SIZES = List.of(new Size(1920, 1080), new Size(3840, 2160));

    public static VncBenchPlan full() { return new VncBenchPlan(SIZES, 2_000, 6_000, true); }

    /** Seconds: one small window per figure, the in-JVM guest only (checks the harness, not the figures). */
    public static VncBenchPlan quick() { return new VncBenchPlan(SIZES, 200, 500, false); }

    public VncBenchPlan withRealGuest(boolean on) { return new VncBenchPlan(sizes, warmMillis, windowMillis, on); }
}
