package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * {@code struct virtio_gpu_resp_capset} (24 bytes + flexible array): RESP_OK_CAPSET. The capset bytes follow the
 * header at {@link #DATA}; their length is the capset's max_size as announced by GET_CAPSET_INFO.
 */
public final class RespCapset {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(CtrlHdr.LAYOUT.withName("hdr"));

    public static final long DATA = LAYOUT.byteSize();
    /** Size of the fixed part only. */
    public static final long SIZE = LAYOUT.byteSize();

    private RespCapset() {}
}
