package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code VhostUserGpuUpdate {u32 scanout_id, x, y, width, height; u8 data[]}} (20-byte head): UPDATE payload
 * (followed by width·height·4 bytes of x8r8g8b8, stride width·4) and DMABUF_UPDATE payload (head only).
 */
public record DisplayUpdate(long scanoutId, long x, long y, long width, long height) {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            Wire.NE32.withName("scanout_id"),
            Wire.NE32.withName("x"),
            Wire.NE32.withName("y"),
            Wire.NE32.withName("width"),
            Wire.NE32.withName("height"));

    public static final long SCANOUT_ID = Wire.offset(LAYOUT, "scanout_id");
    public static final long X = Wire.offset(LAYOUT, "x");
    public static final long Y = Wire.offset(LAYOUT, "y");
    public static final long WIDTH = Wire.offset(LAYOUT, "width");
    public static final long HEIGHT = Wire.offset(LAYOUT, "height");
    /** Pixel data of an UPDATE starts here, right after the head. */
    public static final long DATA = LAYOUT.byteSize();
    public static final long SIZE = LAYOUT.byteSize();

    public DisplayUpdate {
        Wire.requireU32(scanoutId, "scanoutId");
        Wire.requireU32(x, "x");
        Wire.requireU32(y, "y");
        Wire.requireU32(width, "width");
        Wire.requireU32(height, "height");
    }

    public static DisplayUpdate of(long scanoutId, Rect r) {
        return new DisplayUpdate(scanoutId, r.x(), r.y(), r.width(), r.height());
    }

    /** Bytes of pixel data an UPDATE for this rect carries (width·height·4; exact, may exceed u32). */
    public long pixelBytes() {
        return Math.multiplyExact(Math.multiplyExact(width, height), 4L);
    }

    public static DisplayUpdate read(MemorySegment s, long offset) {
        return new DisplayUpdate(Wire.ne32(s, offset + SCANOUT_ID), Wire.ne32(s, offset + X),
                Wire.ne32(s, offset + Y), Wire.ne32(s, offset + WIDTH), Wire.ne32(s, offset + HEIGHT));
    }

    public void write(MemorySegment s, long offset) {
        Wire.putNe32(s, offset + SCANOUT_ID, scanoutId);
        Wire.putNe32(s, offset + X, x);
        Wire.putNe32(s, offset + Y, y);
        Wire.putNe32(s, offset + WIDTH, width);
        Wire.putNe32(s, offset + HEIGHT, height);
    }
}
