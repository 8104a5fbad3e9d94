package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code struct virtio_gpu_set_scanout} (48 bytes): SET_SCANOUT request. */
public final class CmdSetScanout {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            CtrlHdr.LAYOUT.withName("hdr"),
            Rect.LAYOUT.withName("r"),
            Wire.LE32.withName("scanout_id"),
            Wire.LE32.withName("resource_id"));

    public static final long R = Wire.offset(LAYOUT, "r");
    public static final long SCANOUT_ID = Wire.offset(LAYOUT, "scanout_id");
    public static final long RESOURCE_ID = Wire.offset(LAYOUT, "resource_id");
    public static final long SIZE = LAYOUT.byteSize();

    private CmdSetScanout() {}
}
