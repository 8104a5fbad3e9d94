package dev.panamavgpu.qxl;

import static dev.panamavgpu.qxl.QxlWire.LE16;
import static dev.panamavgpu.qxl.QxlWire.LE32;
import static dev.panamavgpu.qxl.QxlWire.LE64;
import static dev.panamavgpu.qxl.QxlWire.U8;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * {@code QXLDrawable} (191 bytes) and the payloads used here: {@code QXLFill} (39), {@code QXLCopy}
 * (44), {@code QXLCopyBits} (a QXLPoint), {@code QXLClip} (12) and {@code QXLClipRects} (24).
 */
final class QxlDrawable {
    static final StructLayout CLIP = MemoryLayout.structLayout(LE32.withName("type"), LE64.withName("data"));
    static final StructLayout QMASK = MemoryLayout.structLayout(
            U8.withName("flags"), LE32.withName("x"), LE32.withName("y"), LE64.withName("bitmap"));
    static final StructLayout BRUSH = MemoryLayout.structLayout(
            LE32.withName("type"), MemoryLayout.sequenceLayout(16, U8).withName("u"));
    static final StructLayout FILL = MemoryLayout.structLayout(
            BRUSH.withName("brush"), LE16.withName("rop_descriptor"), QMASK.withName("mask"));
    static final StructLayout COPY = MemoryLayout.structLayout(
            LE64.withName("src_bitmap"), QxlWire.rect("src_area"), LE16.withName("rop_descriptor"),
            U8.withName("scale_mode"), QMASK.withName("mask"));
    static final StructLayout CLIP_RECTS = MemoryLayout.structLayout(
            LE32.withName("num_rects"), QxlImage.CHUNK.withName("chunk"));

    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            LE64.withName("release_info"), LE32.withName("surface_id"), U8.withName("effect"), U8.withName("type"),
            U8.withName("self_bitmap"), QxlWire.rect("self_bitmap_area"), QxlWire.rect("bbox"), CLIP.withName("clip"),
            LE32.withName("mm_time"), MemoryLayout.sequenceLayout(3, LE32).withName("surfaces_dest"),
            MemoryLayout.sequenceLayout(3, QxlWire.rect("r")).withName("surfaces_rects"),
            MemoryLayout.sequenceLayout(68, U8).withName("u"));

    static final long SURFACE_ID = QxlWire.offset(LAYOUT, "surface_id");
    static final long TYPE = QxlWire.offset(LAYOUT, "type");
    static final long BBOX = QxlWire.offset(LAYOUT, "bbox");
    static final long CLIP_OFF = QxlWire.offset(LAYOUT, "clip");
    static final long CLIP_TYPE = CLIP_OFF + QxlWire.offset(CLIP, "type");
    static final long CLIP_DATA = CLIP_OFF + QxlWire.offset(CLIP, "data");
    static final long U = QxlWire.offset(LAYOUT, "u");
    static final long SIZE = LAYOUT.byteSize();

    static final long FILL_BRUSH_TYPE = U + QxlWire.offset(FILL, "brush");
    static final long FILL_BRUSH_COLOR = FILL_BRUSH_TYPE + 4;
    static final long FILL_ROP = U + QxlWire.offset(FILL, "rop_descriptor");
    static final long FILL_MASK_BITMAP = U + QxlWire.offset(FILL, "mask") + QxlWire.offset(QMASK, "bitmap");
    static final long COPY_SRC_BITMAP = U + QxlWire.offset(COPY, "src_bitmap");
    static final long COPY_SRC_AREA = U + QxlWire.offset(COPY, "src_area");
    static final long COPY_ROP = U + QxlWire.offset(COPY, "rop_descriptor");
    static final long COPY_SCALE_MODE = U + QxlWire.offset(COPY, "scale_mode");
    static final long COPY_MASK_BITMAP = U + QxlWire.offset(COPY, "mask") + QxlWire.offset(QMASK, "bitmap");
    static final long COPY_BITS_SRC_X = U;
    static final long COPY_BITS_SRC_Y = U + 4;
    static final long CLIP_RECTS_NUM = QxlWire.offset(CLIP_RECTS, "num_rects");
    static final long CLIP_RECTS_CHUNK = QxlWire.offset(CLIP_RECTS, "chunk");

    /** QXL_DRAW_* of the drawables rendered here. */
    static final int DRAW_NOP = 0, DRAW_FILL = 1, DRAW_COPY = 3, DRAW_COPY_BITS = 4;
    static final int CLIP_NONE = 0, CLIP_RECTS_TYPE = 1;
    static final int BRUSH_NONE = 0, BRUSH_SOLID = 1;
    /** SPICE_ROPD_OP_PUT: plain copy, the one raster op rendered. */
    static final int ROPD_OP_PUT = 1 << 3;
    static final int MAX_CLIP_RECTS = 1024;

    private QxlDrawable() {}
}
