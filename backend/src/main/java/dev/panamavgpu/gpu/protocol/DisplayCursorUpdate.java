package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * {@code VhostUserGpuCursorUpdate {pos; u32 hot_x, hot_y; u32 data[64*64]}} (16404 bytes): CURSOR_UPDATE payload.
 * QEMU memcpy's all 16 KiB of {@code data} (PIXMAN_a8r8g8b8, bytes B,G,R,A) whatever the announced size.
 */
public final class DisplayCursorUpdate {
    public static final int CURSOR_WIDTH = 64;
    public static final int CURSOR_HEIGHT = 64;
    public static final long DATA_BYTES = (long) CURSOR_WIDTH * CURSOR_HEIGHT * 4;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            DisplayCursorPos.LAYOUT.withName("pos"),
            Wire.NE32.withName("hot_x"),
            Wire.NE32.withName("hot_y"),
            MemoryLayout.sequenceLayout((long) CURSOR_WIDTH * CURSOR_HEIGHT, Wire.NE32).withName("data"));

    public static final long POS = Wire.offset(LAYOUT, "pos");
    public static final long HOT_X = Wire.offset(LAYOUT, "hot_x");
    public static final long HOT_Y = Wire.offset(LAYOUT, "hot_y");
    public static final long DATA = Wire.offset(LAYOUT, "data");
    public static final long SIZE = LAYOUT.byteSize();

    private DisplayCursorUpdate() {}
}
