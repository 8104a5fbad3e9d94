package dev.panamavgpu.qxl;

import static dev.panamavgpu.qxl.QxlWire.LE32;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * {@code SPICE_RING_DECLARE} header (ipc_ring.h): u32 num_items, prod, notify_on_prod, cons,
 * notify_on_cons, then the items at +20. prod/cons are free-running; index = counter &amp; (n-1).
 */
final class QxlRing {
    static final StructLayout HEADER = MemoryLayout.structLayout(
            LE32.withName("num_items"), LE32.withName("prod"), LE32.withName("notify_on_prod"),
            LE32.withName("cons"), LE32.withName("notify_on_cons"));
    static final long NUM_ITEMS = QxlWire.offset(HEADER, "num_items");
    static final long PROD = QxlWire.offset(HEADER, "prod");
    static final long NOTIFY_ON_PROD = QxlWire.offset(HEADER, "notify_on_prod");
    static final long CONS = QxlWire.offset(HEADER, "cons");
    static final long NOTIFY_ON_CONS = QxlWire.offset(HEADER, "notify_on_cons");
    static final long ITEMS = HEADER.byteSize();

    static final int CMD_RING_SIZE = 32, CURSOR_RING_SIZE = 32, RELEASE_RING_SIZE = 8;
    /** QXLCommand {u64 data, u32 type, u32 padding}. */
    static final StructLayout COMMAND = MemoryLayout.structLayout(
            QxlWire.LE64.withName("data"), LE32.withName("type"), LE32.withName("padding"));
    static final long COMMAND_SIZE = COMMAND.byteSize();
    static final long CMD_RING_BYTES = ITEMS + CMD_RING_SIZE * COMMAND_SIZE;
    static final long RELEASE_RING_BYTES = ITEMS + RELEASE_RING_SIZE * 8L;

    private QxlRing() {}
}
