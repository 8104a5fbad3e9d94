package dev.panamavgpu.qxl;

import static dev.panamavgpu.qxl.QxlWire.LE32;
import static dev.panamavgpu.qxl.QxlWire.LE64;
import static dev.panamavgpu.qxl.QxlWire.U8;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code QXLSurfaceCmd} (41 bytes) with its {@code QXLSurface} (24 bytes) create payload. */
final class QxlSurfaceCmd {
    static final StructLayout SURFACE = MemoryLayout.structLayout(
            LE32.withName("format"), LE32.withName("width"), LE32.withName("height"), LE32.withName("stride"),
            LE64.withName("data"));
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            LE64.withName("release_info"), LE32.withName("surface_id"), U8.withName("type"), LE32.withName("flags"),
            SURFACE.withName("u"));

    static final long SURFACE_ID = QxlWire.offset(LAYOUT, "surface_id");
    static final long TYPE = QxlWire.offset(LAYOUT, "type");
    static final long FLAGS = QxlWire.offset(LAYOUT, "flags");
    static final long U = QxlWire.offset(LAYOUT, "u");
    static final long FORMAT = U + QxlWire.offset(SURFACE, "format");
    static final long WIDTH = U + QxlWire.offset(SURFACE, "width");
    static final long HEIGHT = U + QxlWire.offset(SURFACE, "height");
    static final long STRIDE = U + QxlWire.offset(SURFACE, "stride");
    static final long DATA = U + QxlWire.offset(SURFACE, "data");
    static final long SIZE = LAYOUT.byteSize();

    static final int CREATE = 0, DESTROY = 1;
    static final int FLAG_KEEP_DATA = 1;
    /** SPICE_SURFACE_FMT_*: the two this device renders. */
    static final int FMT_32_XRGB = 32, FMT_32_ARGB = 96;

    private QxlSurfaceCmd() {}
}
