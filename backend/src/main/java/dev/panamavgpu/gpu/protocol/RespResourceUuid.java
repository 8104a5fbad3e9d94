package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code struct virtio_gpu_resp_resource_uuid} (40 bytes): RESP_OK_RESOURCE_UUID. */
public final class RespResourceUuid {
    public static final int UUID_BYTES = 16;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            CtrlHdr.LAYOUT.withName("hdr"),
            MemoryLayout.sequenceLayout(UUID_BYTES, Wire.U8).withName("uuid"));

    public static final long UUID = Wire.offset(LAYOUT, "uuid");
    public static final long SIZE = LAYOUT.byteSize();

    private RespResourceUuid() {}
}
