package dev.panamavgpu.memory;

import java.nio.file.Path;

/**
 * The memory a guest may cause on the host. {@code maxResident} bounds what sits in RAM (pixel
 * stores in use, backing tables); {@code maxTotal} bounds everything, including what was moved to
 * the page file in {@code pageDirectory}. A guest past {@code maxTotal} gets ERR_OUT_OF_MEMORY.
 */
public record MemoryLimits(long maxResident, long maxTotal, Path pageDirectory) {
    public MemoryLimits {
        if (maxResident <= 0 || maxTotal <= 0) throw new IllegalArgumentException("memory limits must be positive");
        if (maxResident > maxTotal) throw new IllegalArgumentException("--max-resident is larger than --max-total");
    }

    /** 256 MiB resident (QEMU's max_hostmem), 1 GiB in all, page file under /var/tmp (a disk, unlike /tmp on many systems). */
    public static MemoryLimits defaults() {
        return new MemoryLimits(256L << 20, 1L << 30, Path.of("/var/tmp"));
    }

    public MemoryLimits withMaxResident(long bytes) { return new MemoryLimits(bytes, Math.max(bytes, maxTotal), pageDirectory); }
    public MemoryLimits withMaxTotal(long bytes) { return new MemoryLimits(Math.min(maxResident, bytes), bytes, pageDirectory); }
    public MemoryLimits withPageDirectory(Path dir) { return new MemoryLimits(maxResident, maxTotal, dir); }
}
