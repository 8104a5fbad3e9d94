package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * {@code struct virtio_gpu_resource_attach_backing} (32 bytes): RESOURCE_ATTACH_BACKING request head;
 * {@code nr_entries} {@link MemEntry} structs follow at {@link #ENTRIES}.
 */
public final class CmdResourceAttachBacking {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            CtrlHdr.LAYOUT.withName("hdr"),
            Wire.LE32.withName("resource_id"),
            Wire.LE32.withName("nr_entries"));

    public static final long RESOURCE_ID = Wire.offset(LAYOUT, "resource_id");
    public static final long NR_ENTRIES = Wire.offset(LAYOUT, "nr_entries");
    public static final long SIZE = LAYOUT.byteSize();
    /** The mem entries start right after the fixed part. */
    public static final long ENTRIES = SIZE;

    private CmdResourceAttachBacking() {}
}
