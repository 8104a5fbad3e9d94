package dev.panamavgpu.qxl;

import static dev.panamavgpu.qxl.QxlWire.LE32;
import static dev.panamavgpu.qxl.QxlWire.LE64;
import static dev.panamavgpu.qxl.QxlWire.U8;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** {@code QXLRom} (1160 bytes), followed by {@code QXLModes} (u32 n_modes, here 0). */
final class QxlRom {
    static final int MAGIC = 0x4f525851; // "QXRO"
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            LE32.withName("magic"), LE32.withName("id"), LE32.withName("update_id"),
            LE32.withName("compression_level"), LE32.withName("log_level"), LE32.withName("mode"),
            LE32.withName("modes_offset"), LE32.withName("num_pages"), LE32.withName("pages_offset"),
            LE32.withName("draw_area_offset"), LE32.withName("surface0_area_size"), LE32.withName("ram_header_offset"),
            LE32.withName("mm_clock"), LE32.withName("n_surfaces"), LE64.withName("flags"),
            U8.withName("slots_start"), U8.withName("slots_end"), U8.withName("slot_gen_bits"),
            U8.withName("slot_id_bits"), U8.withName("slot_generation"), U8.withName("client_present"),
            MemoryLayout.sequenceLayout(58, U8).withName("client_capabilities"),
            LE32.withName("client_monitors_config_crc"),
            MemoryLayout.sequenceLayout(1028, U8).withName("client_monitors_config"));

    static final long MAGIC_OFF = QxlWire.offset(LAYOUT, "magic");
    static final long MODES_OFFSET = QxlWire.offset(LAYOUT, "modes_offset");
    static final long NUM_PAGES = QxlWire.offset(LAYOUT, "num_pages");
    static final long PAGES_OFFSET = QxlWire.offset(LAYOUT, "pages_offset");
    static final long DRAW_AREA_OFFSET = QxlWire.offset(LAYOUT, "draw_area_offset");
    static final long SURFACE0_AREA_SIZE = QxlWire.offset(LAYOUT, "surface0_area_size");
    static final long RAM_HEADER_OFFSET = QxlWire.offset(LAYOUT, "ram_header_offset");
    static final long N_SURFACES = QxlWire.offset(LAYOUT, "n_surfaces");
    static final long SLOTS_START = QxlWire.offset(LAYOUT, "slots_start");
    static final long SLOTS_END = QxlWire.offset(LAYOUT, "slots_end");
    static final long SLOT_GEN_BITS = QxlWire.offset(LAYOUT, "slot_gen_bits");
    static final long SLOT_ID_BITS = QxlWire.offset(LAYOUT, "slot_id_bits");
    static final long SLOT_GENERATION = QxlWire.offset(LAYOUT, "slot_generation");
    static final long CLIENT_MONITORS_CONFIG = QxlWire.offset(LAYOUT, "client_monitors_config");
    static final long SIZE = LAYOUT.byteSize();

    private QxlRom() {}
}
