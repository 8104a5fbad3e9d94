package dev.panamavgpu.qxl;

import static dev.panamavgpu.qxl.QxlWire.LE32;
import static dev.panamavgpu.qxl.QxlWire.LE64;
import static dev.panamavgpu.qxl.QxlWire.U8;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * {@code QXLImage}: descriptor (18 bytes) then {@code QXLBitmap} (30) or {@code QXLSurfaceId} (u32);
 * and {@code QXLDataChunk} (20 bytes + data), the chain that carries non-direct bitmaps and clip rects.
 */
final class QxlImage {
    static final StructLayout DESCRIPTOR = MemoryLayout.structLayout(
            LE64.withName("id"), U8.withName("type"), U8.withName("flags"), LE32.withName("width"), LE32.withName("height"));
    static final StructLayout BITMAP = MemoryLayout.structLayout(
            U8.withName("format"), U8.withName("flags"), LE32.withName("x"), LE32.withName("y"), LE32.withName("stride"),
            LE64.withName("palette"), LE64.withName("data"));
    static final StructLayout LAYOUT = MemoryLayout.structLayout(DESCRIPTOR.withName("descriptor"), BITMAP.withName("bitmap"));
    static final StructLayout CHUNK = MemoryLayout.structLayout(
            LE32.withName("data_size"), LE64.withName("prev_chunk"), LE64.withName("next_chunk"));

    static final long TYPE = QxlWire.offset(DESCRIPTOR, "type");
    static final long WIDTH = QxlWire.offset(DESCRIPTOR, "width");
    static final long HEIGHT = QxlWire.offset(DESCRIPTOR, "height");
    static final long BITMAP_OFF = QxlWire.offset(LAYOUT, "bitmap");
    static final long BM_FORMAT = BITMAP_OFF + QxlWire.offset(BITMAP, "format");
    static final long BM_FLAGS = BITMAP_OFF + QxlWire.offset(BITMAP, "flags");
    static final long BM_X = BITMAP_OFF + QxlWire.offset(BITMAP, "x");
    static final long BM_Y = BITMAP_OFF + QxlWire.offset(BITMAP, "y");
    static final long BM_STRIDE = BITMAP_OFF + QxlWire.offset(BITMAP, "stride");
    static final long BM_PALETTE = BITMAP_OFF + QxlWire.offset(BITMAP, "palette");
    static final long BM_DATA = BITMAP_OFF + QxlWire.offset(BITMAP, "data");
    static final long SURFACE_ID = BITMAP_OFF; // QXLSurfaceId follows the descriptor
    static final long SIZE = LAYOUT.byteSize();
    static final long DESCRIPTOR_SIZE = DESCRIPTOR.byteSize();

    static final long CHUNK_DATA_SIZE = QxlWire.offset(CHUNK, "data_size");
    static final long CHUNK_NEXT = QxlWire.offset(CHUNK, "next_chunk");
    static final long CHUNK_SIZE = CHUNK.byteSize();

    static final int TYPE_BITMAP = 0, TYPE_SURFACE = 104;
    static final int BITMAP_FMT_32BIT = 8, BITMAP_FMT_RGBA = 9;
    static final int BITMAP_DIRECT = 1, BITMAP_TOP_DOWN = 4;
    /** Longest chunk chain followed; a guest loop ends here instead of spinning. */
    static final int MAX_CHUNKS = 4096;

    private QxlImage() {}
}
