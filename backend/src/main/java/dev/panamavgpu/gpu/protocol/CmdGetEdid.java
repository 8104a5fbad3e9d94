package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code struct virtio_gpu_cmd_get_edid} (32 bytes): GET_EDID request. */
public final class CmdGetEdid {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            CtrlHdr.LAYOUT.withName("hdr"),
            Wire.LE32.withName("scanout"),
            Wire.LE32.withName("padding"));

    public static final long SCANOUT = Wire.offset(LAYOUT, "scanout");
    public static final long SIZE = LAYOUT.byteSize();

    private CmdGetEdid() {}
}
