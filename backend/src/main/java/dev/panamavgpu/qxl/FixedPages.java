package dev.panamavgpu.qxl;

import dev.panamavgpu.ivshmem.IvshmemServer;
import java.lang.foreign.MemorySegment;

/**
 * What the device writes into the fixed pages of the shared region: the transport header (once),
 * the ROM (at every reset) and the figures it publishes in the transport page. Layout facts only;
 * the device decides when.
 */
final class FixedPages {
    private FixedPages() {}

    /** The figures the guest (and tests) can read from the transport page. */
    record Figures(long heldCommands, long heldBytes, long liveSurfaces, long surfaceBytes,
                   long releasesPushed, long oomCount, long commandsProcessed) {}

    static void writeTransportHeader(MemorySegment region, int vectors, long pendingLimitBytes) {
        long t = QxivLayout.TRANSPORT_OFFSET;
        region.set(QxlWire.LE32, t + QxivLayout.T_MAGIC, QxivLayout.MAGIC);
        region.set(QxlWire.LE32, t + QxivLayout.T_VERSION, QxivLayout.VERSION);
        region.set(QxlWire.LE32, t + QxivLayout.T_PAGE_SIZE, 4096);
        region.set(QxlWire.LE32, t + QxivLayout.T_HOST_FEATURES, QxivLayout.FEATURE_CREATE_RELEASED_EARLY);
        region.set(QxlWire.LE64, t + QxivLayout.T_SHM_SIZE, region.byteSize());
        region.set(QxlWire.LE32, t + QxivLayout.T_HOST_PEER_ID, IvshmemServer.HOST_ID);
        region.set(QxlWire.LE32, t + QxivLayout.T_N_VECTORS, vectors);
        region.set(QxlWire.LE32, t + QxivLayout.T_ROM_OFFSET, (int) QxivLayout.ROM_OFFSET);
        region.set(QxlWire.LE32, t + QxivLayout.T_RAM_OFFSET, (int) QxivLayout.RAM_OFFSET);
        region.set(QxlWire.LE32, t + QxivLayout.T_GUEST_OFFSET, (int) QxivLayout.GUEST_OFFSET);
        region.set(QxlWire.LE32, t + QxivLayout.T_GUEST_SIZE, (int) (region.byteSize() - QxivLayout.GUEST_OFFSET));
        region.set(QxlWire.LE32, t + QxivLayout.T_PENDING_LIMIT, (int) Math.min(pendingLimitBytes, Integer.MAX_VALUE));
    }

    static void writeRom(MemorySegment region, int nSurfaces, int generation) {
        long r = QxivLayout.ROM_OFFSET;
        region.asSlice(r, 4096).fill((byte) 0);
        region.set(QxlWire.LE32, r + QxlRom.MAGIC_OFF, QxlRom.MAGIC);
        region.set(QxlWire.LE32, r + QxlRom.MODES_OFFSET, (int) QxlRom.SIZE); // QXLModes with n_modes = 0
        region.set(QxlWire.LE32, r + QxlRom.NUM_PAGES, (int) ((region.byteSize() - QxivLayout.GUEST_OFFSET) / 4096));
        region.set(QxlWire.LE32, r + QxlRom.PAGES_OFFSET, (int) QxivLayout.GUEST_OFFSET);
        region.set(QxlWire.LE32, r + QxlRom.RAM_HEADER_OFFSET, (int) QxivLayout.RAM_OFFSET);
        region.set(QxlWire.LE32, r + QxlRom.N_SURFACES, nSurfaces);
        region.set(QxlWire.U8, r + QxlRom.SLOTS_START, (byte) MemSlots.SLOTS_START);
        region.set(QxlWire.U8, r + QxlRom.SLOTS_END, (byte) MemSlots.SLOTS_END);
        region.set(QxlWire.U8, r + QxlRom.SLOT_GEN_BITS, (byte) MemSlots.GEN_BITS);
        region.set(QxlWire.U8, r + QxlRom.SLOT_ID_BITS, (byte) MemSlots.ID_BITS);
        region.set(QxlWire.U8, r + QxlRom.SLOT_GENERATION, (byte) generation);
    }

    static void writeFigures(MemorySegment region, Figures f) {
        long t = QxivLayout.TRANSPORT_OFFSET;
        region.set(QxlWire.LE64, t + QxivLayout.T_HELD_COMMANDS, f.heldCommands());
        region.set(QxlWire.LE64, t + QxivLayout.T_HELD_BYTES, f.heldBytes());
        region.set(QxlWire.LE64, t + QxivLayout.T_PENDING_DRAWABLES, f.heldCommands());
        region.set(QxlWire.LE64, t + QxivLayout.T_LIVE_SURFACES, f.liveSurfaces());
        region.set(QxlWire.LE64, t + QxivLayout.T_SURFACE_BYTES, f.surfaceBytes());
        region.set(QxlWire.LE64, t + QxivLayout.T_RELEASES_PUSHED, f.releasesPushed());
        region.set(QxlWire.LE64, t + QxivLayout.T_OOM_COUNT, f.oomCount());
        region.set(QxlWire.LE64, t + QxivLayout.T_COMMANDS_PROCESSED, f.commandsProcessed());
    }
}
