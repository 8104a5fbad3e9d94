package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code VhostUserGpuScanout {u32 scanout_id, width, height}} (12 bytes): SCANOUT payload. Width 0 disables the
 * scanout. QEMU creates the surface that later UPDATEs draw into here, so SCANOUT must precede any UPDATE.
 */
public record DisplayScanout(long scanoutId, long width, long height) {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            Wire.NE32.withName("scanout_id"),
            Wire.NE32.withName("width"),
            Wire.NE32.withName("height"));

    public static final long SCANOUT_ID = Wire.offset(LAYOUT, "scanout_id");
    public static final long WIDTH = Wire.offset(LAYOUT, "width");
    public static final long HEIGHT = Wire.offset(LAYOUT, "height");
    public static final long SIZE = LAYOUT.byteSize();

    public DisplayScanout {
        Wire.requireU32(scanoutId, "scanoutId");
        Wire.requireU32(width, "width");
        Wire.requireU32(height, "height");
    }

    /** The message that turns a scanout off. */
    public static DisplayScanout disable(long scanoutId) {
        return new DisplayScanout(scanoutId, 0, 0);
    }

    public static DisplayScanout read(MemorySegment s, long offset) {
        return new DisplayScanout(Wire.ne32(s, offset + SCANOUT_ID), Wire.ne32(s, offset + WIDTH),
                Wire.ne32(s, offset + HEIGHT));
    }

    public void write(MemorySegment s, long offset) {
        Wire.putNe32(s, offset + SCANOUT_ID, scanoutId);
        Wire.putNe32(s, offset + WIDTH, width);
        Wire.putNe32(s, offset + HEIGHT, height);
    }
}
