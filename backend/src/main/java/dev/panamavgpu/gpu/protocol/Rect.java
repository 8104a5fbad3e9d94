package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code struct virtio_gpu_rect} (16 bytes). All four fields are u32 held in {@code long}, so sums such as
 * {@code x + width} are exact (at most 2^33) and never wrap the way 32-bit C arithmetic does (x=0xFFFFFFFF, w=2).
 */
public record Rect(long x, long y, long width, long height) {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            Wire.LE32.withName("x"),
            Wire.LE32.withName("y"),
            Wire.LE32.withName("width"),
            Wire.LE32.withName("height"));

    public static final long X = Wire.offset(LAYOUT, "x");
    public static final long Y = Wire.offset(LAYOUT, "y");
    public static final long WIDTH = Wire.offset(LAYOUT, "width");
    public static final long HEIGHT = Wire.offset(LAYOUT, "height");
    public static final long SIZE = LAYOUT.byteSize();

    public static final Rect EMPTY = new Rect(0, 0, 0, 0);

    public Rect {
        Wire.requireU32(x, "x");
        Wire.requireU32(y, "y");
        Wire.requireU32(width, "width");
        Wire.requireU32(height, "height");
    }

    public static Rect read(MemorySegment s, long offset) {
        return new Rect(Wire.le32(s, offset + X), Wire.le32(s, offset + Y),
                Wire.le32(s, offset + WIDTH), Wire.le32(s, offset + HEIGHT));
    }

    public void write(MemorySegment s, long offset) {
        Wire.putLe32(s, offset + X, x);
        Wire.putLe32(s, offset + Y, y);
        Wire.putLe32(s, offset + WIDTH, width);
        Wire.putLe32(s, offset + HEIGHT, height);
    }

    /** Exclusive right edge, exact (may exceed 2^32). */
    public long right() {
        return x + width;
    }

    /** Exclusive bottom edge, exact (may exceed 2^32). */
    public long bottom() {
        return y + height;
    }

    public boolean isEmpty() {
        return width == 0 || height == 0;
    }

    /** True if the rect lies inside a {@code w}×{@code h} area anchored at the origin. */
    public boolean within(long w, long h) {
        return right() <= w && bottom() <= h;
    }

    /**
     * Overlap of two rects. Disjoint rects give a rect with zero width or height (test with {@link #isEmpty()});
     * its position is then meaningless but still a valid u32.
     */
    public Rect intersect(Rect o) {
        long x0 = Math.max(x, o.x);
        long y0 = Math.max(y, o.y);
        long x1 = Math.min(right(), o.right());
        long y1 = Math.min(bottom(), o.bottom());
        return new Rect(x0, y0, Math.max(0, x1 - x0), Math.max(0, y1 - y0));
    }

    /** Pixel count, or -1 if it does not fit in a signed long (only possible near 2^32 × 2^32). */
    public long area() {
        long hi = Math.multiplyHigh(width, height);
        long lo = width * height;
        return hi == 0 && lo >= 0 ? lo : -1;
    }
}
