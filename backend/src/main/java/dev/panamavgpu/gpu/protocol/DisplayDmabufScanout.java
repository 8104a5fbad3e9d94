package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code VhostUserGpuDMABUFScanout} (40 bytes): DMABUF_SCANOUT payload, sent with the dmabuf fd as SCM_RIGHTS.
 * x/y/width/height select the visible part of an fdWidth×fdHeight buffer; sending it without an fd disables the
 * scanout. {@code fdFlags} bit 0 is {@link VirtioGpu#RESOURCE_FLAG_Y_0_TOP}.
 *
 * @param fourcc DRM fourcc ({@code int fd_drm_fourcc} in QEMU)
 */
public record DisplayDmabufScanout(long scanoutId, long x, long y, long width, long height,
                                   long fdWidth, long fdHeight, long fdStride, long fdFlags, int fourcc) {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            Wire.NE32.withName("scanout_id"),
            Wire.NE32.withName("x"),
            Wire.NE32.withName("y"),
            Wire.NE32.withName("width"),
            Wire.NE32.withName("height"),
            Wire.NE32.withName("fd_width"),
            Wire.NE32.withName("fd_height"),
            Wire.NE32.withName("fd_stride"),
            Wire.NE32.withName("fd_flags"),
            Wire.NE32.withName("fd_drm_fourcc"));

    public static final long SCANOUT_ID = Wire.offset(LAYOUT, "scanout_id");
    public static final long X = Wire.offset(LAYOUT, "x");
    public static final long Y = Wire.offset(LAYOUT, "y");
    public static final long WIDTH = Wire.offset(LAYOUT, "width");
    public static final long HEIGHT = Wire.offset(LAYOUT, "height");
    public static final long FD_WIDTH = Wire.offset(LAYOUT, "fd_width");
    public static final long FD_HEIGHT = Wire.offset(LAYOUT, "fd_height");
    public static final long FD_STRIDE = Wire.offset(LAYOUT, "fd_stride");
    public static final long FD_FLAGS = Wire.offset(LAYOUT, "fd_flags");
    public static final long FD_DRM_FOURCC = Wire.offset(LAYOUT, "fd_drm_fourcc");
    public static final long SIZE = LAYOUT.byteSize();

    public DisplayDmabufScanout {
        Wire.requireU32(scanoutId, "scanoutId");
        Wire.requireU32(x, "x");
        Wire.requireU32(y, "y");
        Wire.requireU32(width, "width");
        Wire.requireU32(height, "height");
        Wire.requireU32(fdWidth, "fdWidth");
        Wire.requireU32(fdHeight, "fdHeight");
        Wire.requireU32(fdStride, "fdStride");
        Wire.requireU32(fdFlags, "fdFlags");
    }

    /** The fd-less message that disables a dmabuf scanout. */
    public static DisplayDmabufScanout disable(long scanoutId) {
        return new DisplayDmabufScanout(scanoutId, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    public static DisplayDmabufScanout read(MemorySegment s, long offset) {
        return new DisplayDmabufScanout(Wire.ne32(s, offset + SCANOUT_ID), Wire.ne32(s, offset + X),
                Wire.ne32(s, offset + Y), Wire.ne32(s, offset + WIDTH), Wire.ne32(s, offset + HEIGHT),
                Wire.ne32(s, offset + FD_WIDTH), Wire.ne32(s, offset + FD_HEIGHT), Wire.ne32(s, offset + FD_STRIDE),
                Wire.ne32(s, offset + FD_FLAGS), s.get(Wire.NE32, offset + FD_DRM_FOURCC));
    }

    public void write(MemorySegment s, long offset) {
        Wire.putNe32(s, offset + SCANOUT_ID, scanoutId);
        Wire.putNe32(s, offset + X, x);
        Wire.putNe32(s, offset + Y, y);
        Wire.putNe32(s, offset + WIDTH, width);
        Wire.putNe32(s, offset + HEIGHT, height);
        Wire.putNe32(s, offset + FD_WIDTH, fdWidth);
        Wire.putNe32(s, offset + FD_HEIGHT, fdHeight);
        Wire.putNe32(s, offset + FD_STRIDE, fdStride);
        Wire.putNe32(s, offset + FD_FLAGS, fdFlags);
        s.set(Wire.NE32, offset + FD_DRM_FOURCC, fourcc);
    }
}
