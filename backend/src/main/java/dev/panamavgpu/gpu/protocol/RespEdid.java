package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * {@code struct virtio_gpu_resp_edid} (1056 bytes): RESP_OK_EDID, also the payload of QEMU's GET_EDID reply.
 * {@code size} says how many of the 1024 edid bytes are meaningful.
 */
public final class RespEdid {
    /** Capacity of the edid array. */
    public static final int MAX_EDID = 1024;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            CtrlHdr.LAYOUT.withName("hdr"),
            Wire.LE32.withName("size"),
            Wire.LE32.withName("padding"),
            MemoryLayout.sequenceLayout(MAX_EDID, Wire.U8).withName("edid"));

    public static final long EDID_SIZE = Wire.offset(LAYOUT, "size");
    public static final long EDID = Wire.offset(LAYOUT, "edid");
    public static final long SIZE = LAYOUT.byteSize();

    private RespEdid() {}
}
