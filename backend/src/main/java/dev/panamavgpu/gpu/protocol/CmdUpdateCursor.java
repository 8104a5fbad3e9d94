package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * {@code struct virtio_gpu_update_cursor} (56 bytes): UPDATE_CURSOR and MOVE_CURSOR both use the whole struct
 * (MOVE ignores hot_x/hot_y), and the Linux driver always sends all 56 bytes.
 */
public final class CmdUpdateCursor {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            CtrlHdr.LAYOUT.withName("hdr"),
            CursorPos.LAYOUT.withName("pos"),
            Wire.LE32.withName("resource_id"),
            Wire.LE32.withName("hot_x"),
            Wire.LE32.withName("hot_y"),
            Wire.LE32.withName("padding"));

    public static final long POS = Wire.offset(LAYOUT, "pos");
    public static final long RESOURCE_ID = Wire.offset(LAYOUT, "resource_id");
    public static final long HOT_X = Wire.offset(LAYOUT, "hot_x");
    public static final long HOT_Y = Wire.offset(LAYOUT, "hot_y");
    public static final long SIZE = LAYOUT.byteSize();

    private CmdUpdateCursor() {}
}
