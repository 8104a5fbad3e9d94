package dev.panamavgpu.qxl;

import dev.panamavgpu.memory.MemoryManager;

/**
 * Device limits. {@code pendingLimitBytes}: guest bytes that undrawn drawables may pin before the
 * oldest are rendered and released; {@code maxSurfaces}: live off-screen surfaces (ids themselves
 * range over [1, nSurfaces)); {@code memory}: holds and charges surface pixels (owned by the device's loop thread).
 */
public record QxlConfig(long pendingLimitBytes, int nSurfaces, int maxSurfaces, int burst, long idleRenderMillis,
                        MemoryManager memory) {
    public static QxlConfig defaults(MemoryManager memory) {
        return new QxlConfig(4L << 20, 1 << 24, 65536, 64, 10, memory);
    }

    public QxlConfig withPendingLimit(long bytes) {
        return new QxlConfig(bytes, nSurfaces, maxSurfaces, burst, idleRenderMillis, memory);
    }

    public QxlConfig withMaxSurfaces(int n) {
        return new QxlConfig(pendingLimitBytes, nSurfaces, n, burst, idleRenderMillis, memory);
    }

    public QxlConfig withIdleRenderMillis(long ms) {
        return new QxlConfig(pendingLimitBytes, nSurfaces, maxSurfaces, burst, ms, memory);
    }
}
