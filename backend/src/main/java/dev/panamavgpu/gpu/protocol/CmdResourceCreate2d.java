package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code struct virtio_gpu_resource_create_2d} (40 bytes): RESOURCE_CREATE_2D request. */
public final class CmdResourceCreate2d {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            CtrlHdr.LAYOUT.withName("hdr"),
            Wire.LE32.withName("resource_id"),
            Wire.LE32.withName("format"),
            Wire.LE32.withName("width"),
            Wire.LE32.withName("height"));

    public static final long RESOURCE_ID = Wire.offset(LAYOUT, "resource_id");
    public static final long FORMAT = Wire.offset(LAYOUT, "format");
    public static final long WIDTH = Wire.offset(LAYOUT, "width");
    public static final long HEIGHT = Wire.offset(LAYOUT, "height");
    public static final long SIZE = LAYOUT.byteSize();

    private CmdResourceCreate2d() {}
}
