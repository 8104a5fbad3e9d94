package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code VhostUserGpuCursorPos {u32 scanout_id, x, y}} (12 bytes, packed, no padding unlike the virtio
 * cursor_pos): payload of CURSOR_POS and CURSOR_POS_HIDE, and the head of CURSOR_UPDATE.
 */
public record DisplayCursorPos(long scanoutId, long x, long y) {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            Wire.NE32.withName("scanout_id"),
            Wire.NE32.withName("x"),
            Wire.NE32.withName("y"));

    public static final long SCANOUT_ID = Wire.offset(LAYOUT, "scanout_id");
    public static final long X = Wire.offset(LAYOUT, "x");
    public static final long Y = Wire.offset(LAYOUT, "y");
    public static final long SIZE = LAYOUT.byteSize();

    public DisplayCursorPos {
        Wire.requireU32(scanoutId, "scanoutId");
        Wire.requireU32(x, "x");
        Wire.requireU32(y, "y");
    }

    public static DisplayCursorPos read(MemorySegment s, long offset) {
        return new DisplayCursorPos(Wire.ne32(s, offset + SCANOUT_ID), Wire.ne32(s, offset + X),
                Wire.ne32(s, offset + Y));
    }

    public void write(MemorySegment s, long offset) {
        Wire.putNe32(s, offset + SCANOUT_ID, scanoutId);
        Wire.putNe32(s, offset + X, x);
        Wire.putNe32(s, offset + Y, y);
    }
}
