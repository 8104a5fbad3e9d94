package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code struct virtio_gpu_mem_entry} (16 bytes): one guest-physical span of a resource's backing store.
 *
 * @param addr   u64 guest-physical address, raw bits (compare with {@link Long#compareUnsigned})
 * @param length u32 byte count
 */
public record MemEntry(long addr, long length) {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            Wire.LE64.withName("addr"),
            Wire.LE32.withName("length"),
            Wire.LE32.withName("padding"));

    public static final long ADDR = Wire.offset(LAYOUT, "addr");
    public static final long LENGTH = Wire.offset(LAYOUT, "length");
    public static final long SIZE = LAYOUT.byteSize();

    public MemEntry {
        Wire.requireU32(length, "length");
    }

    public static MemEntry read(MemorySegment s, long offset) {
        return new MemEntry(s.get(Wire.LE64, offset + ADDR), Wire.le32(s, offset + LENGTH));
    }

    /** Writes all 16 bytes, padding as zero. */
    public void write(MemorySegment s, long offset) {
        s.set(Wire.LE64, offset + ADDR, addr);
        Wire.putLe32(s, offset + LENGTH, length);
        s.set(Wire.LE32, offset + LENGTH + 4, 0);
    }

    /**
     * True if the exclusive end {@code addr + length} does not fit in a u64 (≥ 2^64). Then {@code addr + length}
     * wrapped and must not be used as an end bound; no guest RAM ends at 2^64, so such an entry is always invalid.
     */
    public boolean wrapsAround() {
        return Long.compareUnsigned(addr + length, addr) < 0;
    }

    @Override
    public String toString() {
        return "MemEntry[addr=0x" + Long.toHexString(addr) + ", length=" + length + "]";
    }
}
