package dev.panamavgpu.qxl;

import static dev.panamavgpu.qxl.QxlWire.LE16;
import static dev.panamavgpu.qxl.QxlWire.LE32;
import static dev.panamavgpu.qxl.QxlWire.LE64;
import static dev.panamavgpu.qxl.QxlWire.U8;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code QXLCursorCmd} (150 bytes) and the {@code QXLCursor} shape (42 bytes + chunk data) it points at. */
final class QxlCursorCmd {
    static final StructLayout SET = MemoryLayout.structLayout(
            LE16.withName("x"), LE16.withName("y"), U8.withName("visible"), LE64.withName("shape"));
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            LE64.withName("release_info"), U8.withName("type"), SET.withName("u"),
            MemoryLayout.sequenceLayout(128, U8).withName("device_data"));
    static final StructLayout HEADER = MemoryLayout.structLayout(
            LE64.withName("unique"), LE16.withName("type"), LE16.withName("width"), LE16.withName("height"),
            LE16.withName("hot_spot_x"), LE16.withName("hot_spot_y"));
    static final StructLayout CURSOR = MemoryLayout.structLayout(
            HEADER.withName("header"), LE32.withName("data_size"), QxlImage.CHUNK.withName("chunk"));

    static final long TYPE = QxlWire.offset(LAYOUT, "type");
    static final long U = QxlWire.offset(LAYOUT, "u");
    static final long POS_X = U + QxlWire.offset(SET, "x");
    static final long POS_Y = U + QxlWire.offset(SET, "y");
    static final long VISIBLE = U + QxlWire.offset(SET, "visible");
    static final long SHAPE = U + QxlWire.offset(SET, "shape");
    static final long SIZE = LAYOUT.byteSize();

    static final long C_TYPE = QxlWire.offset(HEADER, "type");
    static final long C_WIDTH = QxlWire.offset(HEADER, "width");
    static final long C_HEIGHT = QxlWire.offset(HEADER, "height");
    static final long C_HOT_X = QxlWire.offset(HEADER, "hot_spot_x");
    static final long C_HOT_Y = QxlWire.offset(HEADER, "hot_spot_y");
    static final long C_DATA_SIZE = QxlWire.offset(CURSOR, "data_size");
    static final long C_CHUNK = QxlWire.offset(CURSOR, "chunk");
    static final long CURSOR_SIZE = CURSOR.byteSize();

    static final int SET_TYPE = 0, MOVE = 1, HIDE = 2, TRAIL = 3;
    /** Largest shape copied: 256x256 ARGB plus an AND mask. */
    static final long MAX_SHAPE_BYTES = 256 * 256 * 4 + 256 * 256 / 8;

    private QxlCursorCmd() {}
}
