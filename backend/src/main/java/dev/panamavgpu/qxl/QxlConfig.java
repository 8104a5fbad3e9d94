package dev.panamavgpu.qxl;

import dev.panamavgpu.memory.MemoryBudget;

/**
 * Device limits. {@code pendingLimitBytes}: guest bytes that undrawn drawables may pin before the
 * oldest are rendered and released; {@code maxSurfaces}: live off-screen surfaces (ids themselves
 * range over [1, nSurfaces)); {@code budget}: host bytes for surface pixels.
 */
public record QxlConfig(long pendingLimitBytes, int nSurfaces, int maxSurfaces, int burst, long idleRenderMillis,
                        MemoryBudget budget) {
    public static QxlConfig defaults(MemoryBudget budget) {
        return new QxlConfig(4L << 20, 1 << 24, 65536, 64, 10, budget);
    }

    public QxlConfig withPendingLimit(long bytes) {
        return new QxlConfig(bytes, nSurfaces, maxSurfaces, burst, idleRenderMillis, budget);
    }

    public QxlConfig withMaxSurfaces(int n) {
        return new QxlConfig(pendingLimitBytes, nSurfaces, n, burst, idleRenderMillis, budget);
    }

    public QxlConfig withIdleRenderMillis(long ms) {
        return new QxlConfig(pendingLimitBytes, nSurfaces, maxSurfaces, burst, ms, budget);
    }
}
