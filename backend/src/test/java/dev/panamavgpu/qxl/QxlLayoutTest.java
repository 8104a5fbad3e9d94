package dev.panamavgpu.qxl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Sizes and offsets of the QXL wire structs against {@code sizeof}/{@code offsetof} of spice-protocol
 * qxl_dev.h compiled with gcc on x86_64 (shared/reference/qxl-offsets.txt), and the QXIV layout.
 */
class QxlLayoutTest {

    @Test
    void rom() {
        assertEquals(1160, QxlRom.SIZE);
        assertEquals(24, QxlRom.MODES_OFFSET);
        assertEquals(28, QxlRom.NUM_PAGES);
        assertEquals(32, QxlRom.PAGES_OFFSET);
        assertEquals(36, QxlRom.DRAW_AREA_OFFSET);
        assertEquals(40, QxlRom.SURFACE0_AREA_SIZE);
        assertEquals(44, QxlRom.RAM_HEADER_OFFSET);
        assertEquals(52, QxlRom.N_SURFACES);
        assertEquals(64, QxlRom.SLOTS_START);
        assertEquals(65, QxlRom.SLOTS_END);
        assertEquals(66, QxlRom.SLOT_GEN_BITS);
        assertEquals(67, QxlRom.SLOT_ID_BITS);
        assertEquals(68, QxlRom.SLOT_GENERATION);
        assertEquals(132, QxlRom.CLIENT_MONITORS_CONFIG);
        assertEquals(0x4f525851, QxlRom.MAGIC);
    }

    @Test
    void ramAndRings() {
        assertEquals(5348, QxlRam.SIZE);
        assertEquals(4, QxlRam.INT_PENDING);
        assertEquals(8, QxlRam.INT_MASK);
        assertEquals(12, QxlRam.LOG_BUF);
        assertEquals(4108, QxlRam.CMD_RING);
        assertEquals(4640, QxlRam.CURSOR_RING);
        assertEquals(5172, QxlRam.RELEASE_RING);
        assertEquals(5256, QxlRam.UPDATE_AREA);
        assertEquals(5272, QxlRam.UPDATE_SURFACE);
        assertEquals(5276, QxlRam.MEM_SLOT);
        assertEquals(5292, QxlRam.CREATE_SURFACE);
        assertEquals(5332, QxlRam.FLAGS);
        assertEquals(40, QxlRam.SURFACE_CREATE.byteSize());
        assertEquals(32, QxlRam.SC_MEM);
        assertEquals(0x41525851, QxlRam.MAGIC);
        assertEquals(532, QxlRing.CMD_RING_BYTES);
        assertEquals(84, QxlRing.RELEASE_RING_BYTES);
        assertEquals(20, QxlRing.ITEMS);
        assertEquals(16, QxlRing.COMMAND_SIZE);
        assertEquals(4, QxlRing.PROD);
        assertEquals(8, QxlRing.NOTIFY_ON_PROD);
        assertEquals(12, QxlRing.CONS);
        assertEquals(16, QxlRing.NOTIFY_ON_CONS);
    }

    @Test
    void commands() {
        assertEquals(41, QxlSurfaceCmd.SIZE);
        assertEquals(8, QxlSurfaceCmd.SURFACE_ID);
        assertEquals(12, QxlSurfaceCmd.TYPE);
        assertEquals(13, QxlSurfaceCmd.FLAGS);
        assertEquals(17, QxlSurfaceCmd.U);
        assertEquals(24, QxlSurfaceCmd.SURFACE.byteSize());
        assertEquals(17 + 16, QxlSurfaceCmd.DATA);

        assertEquals(191, QxlDrawable.SIZE);
        assertEquals(8, QxlDrawable.SURFACE_ID);
        assertEquals(13, QxlDrawable.TYPE);
        assertEquals(31, QxlDrawable.BBOX);
        assertEquals(47, QxlDrawable.CLIP_OFF);
        assertEquals(12, QxlDrawable.CLIP.byteSize());
        assertEquals(123, QxlDrawable.U);
        assertEquals(39, QxlDrawable.FILL.byteSize());
        assertEquals(20, QxlDrawable.BRUSH.byteSize());
        assertEquals(17, QxlDrawable.QMASK.byteSize());
        assertEquals(44, QxlDrawable.COPY.byteSize());
        assertEquals(123 + 20, QxlDrawable.FILL_ROP);
        assertEquals(123 + 8, QxlDrawable.COPY_SRC_AREA);
        assertEquals(123 + 24, QxlDrawable.COPY_ROP);
        assertEquals(24, QxlDrawable.CLIP_RECTS.byteSize());

        assertEquals(48, QxlImage.SIZE);
        assertEquals(18, QxlImage.DESCRIPTOR_SIZE);
        assertEquals(30, QxlImage.BITMAP.byteSize());
        assertEquals(18 + 10, QxlImage.BM_STRIDE);
        assertEquals(18 + 22, QxlImage.BM_DATA);
        assertEquals(20, QxlImage.CHUNK_SIZE);
        assertEquals(12, QxlImage.CHUNK_NEXT);

        assertEquals(150, QxlCursorCmd.SIZE);
        assertEquals(8, QxlCursorCmd.TYPE);
        assertEquals(9, QxlCursorCmd.U);
        assertEquals(13, QxlCursorCmd.SET.byteSize());
        assertEquals(42, QxlCursorCmd.CURSOR_SIZE);
        assertEquals(18, QxlCursorCmd.HEADER.byteSize());
        assertEquals(18, QxlCursorCmd.C_DATA_SIZE);
        assertEquals(22, QxlCursorCmd.C_CHUNK);
    }

    @Test
    void transportPage() {
        assertEquals(0x10, QxivLayout.T_SHM_SIZE);
        assertEquals(0x18, QxivLayout.T_HOST_PEER_ID);
        assertEquals(0x30, QxivLayout.T_PENDING_LIMIT);
        assertEquals(0x40, QxivLayout.T_IO_SEQ);
        assertEquals(0x44, QxivLayout.T_IO_PORT);
        assertEquals(0x48, QxivLayout.T_IO_VAL);
        assertEquals(0x4c, QxivLayout.T_GUEST_FLAGS);
        assertEquals(0x50, QxivLayout.T_GUEST_PEER_ID);
        assertEquals(0x60, QxivLayout.T_IO_DONE_SEQ);
        assertEquals(0x64, QxivLayout.T_IO_RESULT);
        assertEquals(0x68, QxivLayout.T_IO_PORT_DONE);
        assertEquals(0x6c, QxivLayout.T_BUG_CODE);
        assertEquals(0x80, QxivLayout.T_HELD_COMMANDS);
        assertEquals(0xb8, QxivLayout.T_COMMANDS_PROCESSED);
        assertEquals(0xc0, QxivLayout.TRANSPORT_SIZE);
        // the region pieces do not overlap
        assertEquals(true, QxivLayout.ROM_OFFSET + 4096 <= QxivLayout.TRANSPORT_OFFSET);
        assertEquals(true, QxivLayout.RAM_OFFSET + QxlRam.SIZE <= QxivLayout.GUEST_OFFSET);
    }
}
