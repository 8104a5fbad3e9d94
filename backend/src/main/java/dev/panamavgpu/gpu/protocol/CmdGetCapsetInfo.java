package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code struct virtio_gpu_get_capset_info} (32 bytes): GET_CAPSET_INFO request. */
public final class CmdGetCapsetInfo {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            CtrlHdr.LAYOUT.withName("hdr"),
            Wire.LE32.withName("capset_index"),
            Wire.LE32.withName("padding"));

    public static final long CAPSET_INDEX = Wire.offset(LAYOUT, "capset_index");
    public static final long SIZE = LAYOUT.byteSize();

    private CmdGetCapsetInfo() {}
}
