package dev.panamavgpu.gpu.device;

/**
 * Every limit a guest can push against, named in one place (docs/security.md lists them). Past a
 * limit the guest gets an error response; nothing is allocated.
 */
public record GpuLimits(int maxOutputs, int maxResources, int maxBackingEntries,
                        long maxResourceDimension, int defaultWidth, int defaultHeight) {
    /** QEMU's defaults: 16384 backing entries, one output of 1280x800. Memory limits are {@code MemoryLimits}. */
    public static GpuLimits defaults() {
        return new GpuLimits(16, 65536, 16384, 16384, 1280, 800);
    }

    public GpuLimits withMaxOutputs(int n) {
        if (n < 1 || n > 16) throw new IllegalArgumentException("outputs must be 1..16");
        return new GpuLimits(n, maxResources, maxBackingEntries, maxResourceDimension, defaultWidth, defaultHeight);
    }
}
