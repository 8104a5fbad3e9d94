package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/** {@code struct virtio_gpu_box} (24 bytes): x, y, z, w, h, d, u32 each (as longs in [0, 2^32)). */
public record Box3d(long x, long y, long z, long w, long h, long d) {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            Wire.LE32.withName("x"), Wire.LE32.withName("y"), Wire.LE32.withName("z"),
            Wire.LE32.withName("w"), Wire.LE32.withName("h"), Wire.LE32.withName("d"));
    public static final long SIZE = LAYOUT.byteSize();

    public Box3d {
        Wire.requireU32(x, "x");
        Wire.requireU32(y, "y");
        Wire.requireU32(z, "z");
        Wire.requireU32(w, "w");
        Wire.requireU32(h, "h");
        Wire.requireU32(d, "d");
    }

    static Box3d read(MemorySegment s, long at) {
        return new Box3d(Wire.le32(s, at), Wire.le32(s, at + 4), Wire.le32(s, at + 8),
                Wire.le32(s, at + 12), Wire.le32(s, at + 16), Wire.le32(s, at + 20));
    }
}
