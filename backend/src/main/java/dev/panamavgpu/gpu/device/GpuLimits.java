package dev.panamavgpu.gpu.device;

/**
 * Every limit a guest can push against, named in one place (docs/security.md lists them). Past a
 * limit the guest gets an error response; nothing is allocated.
 */
public record GpuLimits(int maxOutputs, long maxHostMemory, int maxResources, int maxBackingEntries,
                        long maxResourceDimension, int defaultWidth, int defaultHeight) {
    /** QEMU's defaults: max_hostmem 256 MiB, 16384 backing entries, one output of 1280x800. */
    public static GpuLimits defaults() {
        return new GpuLimits(16, 256L << 20, 65536, 16384, 16384, 1280, 800);
    }

    public GpuLimits withMaxHostMemory(long bytes) {
        return new GpuLimits(maxOutputs, bytes, maxResources, maxBackingEntries, maxResourceDimension, defaultWidth, defaultHeight);
    }

    public GpuLimits withMaxOutputs(int n) {
        if (n < 1 || n > 16) throw new IllegalArgumentException("outputs must be 1..16");
        return new GpuLimits(n, maxHostMemory, maxResources, maxBackingEntries, maxResourceDimension, defaultWidth, defaultHeight);
    }
}
