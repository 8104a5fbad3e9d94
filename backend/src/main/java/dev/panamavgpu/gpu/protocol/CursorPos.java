package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/** {@code struct virtio_gpu_cursor_pos} (16 bytes, trailing u32 padding); all fields u32. */
public record CursorPos(long scanoutId, long x, long y) {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            Wire.LE32.withName("scanout_id"),
            Wire.LE32.withName("x"),
            Wire.LE32.withName("y"),
            Wire.LE32.withName("padding"));

    public static final long SCANOUT_ID = Wire.offset(LAYOUT, "scanout_id");
    public static final long X = Wire.offset(LAYOUT, "x");
    public static final long Y = Wire.offset(LAYOUT, "y");
    public static final long SIZE = LAYOUT.byteSize();

    public CursorPos {
        Wire.requireU32(scanoutId, "scanoutId");
        Wire.requireU32(x, "x");
        Wire.requireU32(y, "y");
    }

    public static CursorPos read(MemorySegment s, long offset) {
        return new CursorPos(Wire.le32(s, offset + SCANOUT_ID), Wire.le32(s, offset + X), Wire.le32(s, offset + Y));
    }

    /** Writes all 16 bytes, padding as zero. */
    public void write(MemorySegment s, long offset) {
        Wire.putLe32(s, offset + SCANOUT_ID, scanoutId);
        Wire.putLe32(s, offset + X, x);
        Wire.putLe32(s, offset + Y, y);
        s.set(Wire.LE32, offset + Y + 4, 0);
    }
}
