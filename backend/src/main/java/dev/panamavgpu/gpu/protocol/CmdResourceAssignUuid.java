package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code struct virtio_gpu_resource_assign_uuid} (32 bytes): RESOURCE_ASSIGN_UUID request. */
public final class CmdResourceAssignUuid {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            CtrlHdr.LAYOUT.withName("hdr"),
            Wire.LE32.withName("resource_id"),
            Wire.LE32.withName("padding"));

    public static final long RESOURCE_ID = Wire.offset(LAYOUT, "resource_id");
    public static final long SIZE = LAYOUT.byteSize();

    private CmdResourceAssignUuid() {}
}
