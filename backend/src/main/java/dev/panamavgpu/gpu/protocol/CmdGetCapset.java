package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code struct virtio_gpu_get_capset} (32 bytes): GET_CAPSET request. */
public final class CmdGetCapset {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            CtrlHdr.LAYOUT.withName("hdr"),
            Wire.LE32.withName("capset_id"),
            Wire.LE32.withName("capset_version"));

    public static final long CAPSET_ID = Wire.offset(LAYOUT, "capset_id");
    public static final long CAPSET_VERSION = Wire.offset(LAYOUT, "capset_version");
    public static final long SIZE = LAYOUT.byteSize();

    private CmdGetCapset() {}
}
