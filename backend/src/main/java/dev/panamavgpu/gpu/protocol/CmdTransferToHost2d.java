package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code struct virtio_gpu_transfer_to_host_2d} (56 bytes): TRANSFER_TO_HOST_2D request. */
public final class CmdTransferToHost2d {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            CtrlHdr.LAYOUT.withName("hdr"),
            Rect.LAYOUT.withName("r"),
            Wire.LE64.withName("offset"),
            Wire.LE32.withName("resource_id"),
            Wire.LE32.withName("padding"));

    public static final long R = Wire.offset(LAYOUT, "r");
    public static final long OFFSET = Wire.offset(LAYOUT, "offset");
    public static final long RESOURCE_ID = Wire.offset(LAYOUT, "resource_id");
    public static final long SIZE = LAYOUT.byteSize();

    private CmdTransferToHost2d() {}
}
