package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code struct virtio_gpu_resource_flush} (48 bytes): RESOURCE_FLUSH request. */
public final class CmdResourceFlush {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            CtrlHdr.LAYOUT.withName("hdr"),
            Rect.LAYOUT.withName("r"),
            Wire.LE32.withName("resource_id"),
            Wire.LE32.withName("padding"));

    public static final long R = Wire.offset(LAYOUT, "r");
    public static final long RESOURCE_ID = Wire.offset(LAYOUT, "resource_id");
    public static final long SIZE = LAYOUT.byteSize();

    private CmdResourceFlush() {}
}
