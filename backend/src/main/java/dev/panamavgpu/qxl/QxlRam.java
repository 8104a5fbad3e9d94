package dev.panamavgpu.qxl;

import static dev.panamavgpu.qxl.QxlWire.LE32;
import static dev.panamavgpu.qxl.QxlWire.LE64;
import static dev.panamavgpu.qxl.QxlWire.U8;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code QXLRam} (5348 bytes, aligned(4) packed), and {@code QXLSurfaceCreate} (40 bytes) inside it. */
final class QxlRam {
    static final int MAGIC = 0x41525851; // "QXRA"

    static final StructLayout SURFACE_CREATE = MemoryLayout.structLayout(
            LE32.withName("width"), LE32.withName("height"), LE32.withName("stride"), LE32.withName("format"),
            LE32.withName("position"), LE32.withName("mouse_mode"), LE32.withName("flags"), LE32.withName("type"),
            LE64.withName("mem"));
    static final long SC_WIDTH = QxlWire.offset(SURFACE_CREATE, "width");
    static final long SC_HEIGHT = QxlWire.offset(SURFACE_CREATE, "height");
    static final long SC_STRIDE = QxlWire.offset(SURFACE_CREATE, "stride");
    static final long SC_FORMAT = QxlWire.offset(SURFACE_CREATE, "format");
    static final long SC_FLAGS = QxlWire.offset(SURFACE_CREATE, "flags");
    static final long SC_TYPE = QxlWire.offset(SURFACE_CREATE, "type");
    static final long SC_MEM = QxlWire.offset(SURFACE_CREATE, "mem");

    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            LE32.withName("magic"), LE32.withName("int_pending"), LE32.withName("int_mask"),
            MemoryLayout.sequenceLayout(4096, U8).withName("log_buf"),
            MemoryLayout.sequenceLayout(QxlRing.CMD_RING_BYTES, U8).withName("cmd_ring"),
            MemoryLayout.sequenceLayout(QxlRing.CMD_RING_BYTES, U8).withName("cursor_ring"),
            MemoryLayout.sequenceLayout(QxlRing.RELEASE_RING_BYTES, U8).withName("release_ring"),
            QxlWire.rect("update_area"), LE32.withName("update_surface"),
            MemoryLayout.structLayout(LE64.withName("mem_start"), LE64.withName("mem_end")).withName("mem_slot"),
            SURFACE_CREATE.withName("create_surface"), LE64.withName("flags"), LE64.withName("monitors_config"));

    static final long MAGIC_OFF = QxlWire.offset(LAYOUT, "magic");
    static final long INT_PENDING = QxlWire.offset(LAYOUT, "int_pending");
    static final long INT_MASK = QxlWire.offset(LAYOUT, "int_mask");
    static final long LOG_BUF = QxlWire.offset(LAYOUT, "log_buf");
    static final long CMD_RING = QxlWire.offset(LAYOUT, "cmd_ring");
    static final long CURSOR_RING = QxlWire.offset(LAYOUT, "cursor_ring");
    static final long RELEASE_RING = QxlWire.offset(LAYOUT, "release_ring");
    static final long UPDATE_AREA = QxlWire.offset(LAYOUT, "update_area");
    static final long UPDATE_SURFACE = QxlWire.offset(LAYOUT, "update_surface");
    static final long MEM_SLOT = QxlWire.offset(LAYOUT, "mem_slot");
    static final long CREATE_SURFACE = QxlWire.offset(LAYOUT, "create_surface");
    static final long FLAGS = QxlWire.offset(LAYOUT, "flags");
    static final long SIZE = LAYOUT.byteSize();

    /** Interrupt bits of int_pending / int_mask. */
    static final int INT_DISPLAY = 1, INT_CURSOR = 1 << 1, INT_IO_CMD = 1 << 2, INT_ERROR = 1 << 3;

    private QxlRam() {}
}
