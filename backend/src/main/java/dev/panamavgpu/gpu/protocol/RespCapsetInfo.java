package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code struct virtio_gpu_resp_capset_info} (40 bytes): RESP_OK_CAPSET_INFO. */
public final class RespCapsetInfo {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            CtrlHdr.LAYOUT.withName("hdr"),
            Wire.LE32.withName("capset_id"),
            Wire.LE32.withName("capset_max_version"),
            Wire.LE32.withName("capset_max_size"),
            Wire.LE32.withName("padding"));

    public static final long CAPSET_ID = Wire.offset(LAYOUT, "capset_id");
    public static final long CAPSET_MAX_VERSION = Wire.offset(LAYOUT, "capset_max_version");
    public static final long CAPSET_MAX_SIZE = Wire.offset(LAYOUT, "capset_max_size");
    public static final long SIZE = LAYOUT.byteSize();

    private RespCapsetInfo() {}
}
