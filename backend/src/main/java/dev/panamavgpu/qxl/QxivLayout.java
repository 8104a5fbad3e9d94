package dev.panamavgpu.qxl;

import static dev.panamavgpu.qxl.QxlWire.LE32;
import static dev.panamavgpu.qxl.QxlWire.LE64;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * The "QXL over ivshmem" (QXIV) region map: the QXL structures in one shared region instead of
 * the ROM/RAM/VRAM BARs, plus a transport page carrying the IO-port mailbox. All offsets are
 * absolute offsets into the region (QEMU's BAR2). See docs/qxl.md.
 */
public final class QxivLayout {
    public static final long ROM_OFFSET = 0x0000;
    public static final long TRANSPORT_OFFSET = 0x1000;
    public static final long RAM_OFFSET = 0x2000;
    /** Guest-managed memory starts here: commands, images, surface pixels; memslots must lie inside. */
    public static final long GUEST_OFFSET = 0x4000;

    public static final int MAGIC = 0x56495851; // "QXIV"
    public static final int VERSION = 1;

    /** Host-written words of the transport page are at 0x00..0x3f and 0x60..0xff; guest-written at 0x40..0x5f. */
    static final StructLayout TRANSPORT = MemoryLayout.structLayout(
            LE32.withName("magic"), LE32.withName("version"), LE32.withName("page_size"), LE32.withName("host_features"),
            LE64.withName("shm_size"), LE32.withName("host_peer_id"), LE32.withName("n_vectors"),
            LE32.withName("rom_offset"), LE32.withName("ram_offset"), LE32.withName("guest_offset"), LE32.withName("guest_size"),
            LE32.withName("pending_limit"), MemoryLayout.paddingLayout(12),
            // guest-written
            LE32.withName("io_seq"), LE32.withName("io_port"), LE32.withName("io_val"), LE32.withName("guest_flags"),
            LE32.withName("guest_peer_id"), MemoryLayout.paddingLayout(12),
            // host-written
            LE32.withName("io_done_seq"), LE32.withName("io_result"), LE32.withName("io_port_done"), LE32.withName("bug_code"),
            MemoryLayout.paddingLayout(16),
            LE64.withName("held_commands"), LE64.withName("held_bytes"), LE64.withName("pending_drawables"),
            LE64.withName("live_surfaces"), LE64.withName("surface_bytes"), LE64.withName("releases_pushed"),
            LE64.withName("oom_count"), LE64.withName("commands_processed"));

    public static final long T_MAGIC = QxlWire.offset(TRANSPORT, "magic");
    public static final long T_VERSION = QxlWire.offset(TRANSPORT, "version");
    public static final long T_PAGE_SIZE = QxlWire.offset(TRANSPORT, "page_size");
    public static final long T_HOST_FEATURES = QxlWire.offset(TRANSPORT, "host_features");
    public static final long T_SHM_SIZE = QxlWire.offset(TRANSPORT, "shm_size");
    public static final long T_HOST_PEER_ID = QxlWire.offset(TRANSPORT, "host_peer_id");
    public static final long T_N_VECTORS = QxlWire.offset(TRANSPORT, "n_vectors");
    public static final long T_ROM_OFFSET = QxlWire.offset(TRANSPORT, "rom_offset");
    public static final long T_RAM_OFFSET = QxlWire.offset(TRANSPORT, "ram_offset");
    public static final long T_GUEST_OFFSET = QxlWire.offset(TRANSPORT, "guest_offset");
    public static final long T_GUEST_SIZE = QxlWire.offset(TRANSPORT, "guest_size");
    public static final long T_PENDING_LIMIT = QxlWire.offset(TRANSPORT, "pending_limit");
    public static final long T_IO_SEQ = QxlWire.offset(TRANSPORT, "io_seq");
    public static final long T_IO_PORT = QxlWire.offset(TRANSPORT, "io_port");
    public static final long T_IO_VAL = QxlWire.offset(TRANSPORT, "io_val");
    public static final long T_GUEST_FLAGS = QxlWire.offset(TRANSPORT, "guest_flags");
    public static final long T_GUEST_PEER_ID = QxlWire.offset(TRANSPORT, "guest_peer_id");
    public static final long T_IO_DONE_SEQ = QxlWire.offset(TRANSPORT, "io_done_seq");
    public static final long T_IO_RESULT = QxlWire.offset(TRANSPORT, "io_result");
    public static final long T_IO_PORT_DONE = QxlWire.offset(TRANSPORT, "io_port_done");
    public static final long T_BUG_CODE = QxlWire.offset(TRANSPORT, "bug_code");
    public static final long T_HELD_COMMANDS = QxlWire.offset(TRANSPORT, "held_commands");
    public static final long T_HELD_BYTES = QxlWire.offset(TRANSPORT, "held_bytes");
    public static final long T_PENDING_DRAWABLES = QxlWire.offset(TRANSPORT, "pending_drawables");
    public static final long T_LIVE_SURFACES = QxlWire.offset(TRANSPORT, "live_surfaces");
    public static final long T_SURFACE_BYTES = QxlWire.offset(TRANSPORT, "surface_bytes");
    public static final long T_RELEASES_PUSHED = QxlWire.offset(TRANSPORT, "releases_pushed");
    public static final long T_OOM_COUNT = QxlWire.offset(TRANSPORT, "oom_count");
    public static final long T_COMMANDS_PROCESSED = QxlWire.offset(TRANSPORT, "commands_processed");
    static final long TRANSPORT_SIZE = TRANSPORT.byteSize();

    /** Host features: bit 0, surface-create commands are released as soon as they are processed. */
    public static final int FEATURE_CREATE_RELEASED_EARLY = 1;

    /** Doorbell vectors, guest to host (write {@code (hostPeerId << 16) | v} to BAR0+12). */
    public static final int VEC_KICK = 0, VEC_IO = 1;
    /** Interrupt vectors, host to guest (MSI-X vector v). */
    public static final int VEC_IRQ = 0, VEC_IO_DONE = 1;

    /** io_result values. */
    public static final int IO_OK = 0, IO_INVALID = -22, IO_NO_MEMORY = -12, IO_STOPPED = -5;

    private QxivLayout() {}
}
