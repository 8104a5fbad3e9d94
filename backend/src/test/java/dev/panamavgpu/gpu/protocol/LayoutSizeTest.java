package dev.panamavgpu.gpu.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Sizes and key offsets of the virtio-gpu wire structs. Expected numbers are {@code sizeof}/{@code offsetof} of the
 * structs in linux/virtio_gpu.h (linux-libc-dev 6.1, compiled with gcc on x86_64).
 */
class LayoutSizeTest {

    @Test
    void commonStructs() {
        assertEquals(24, CtrlHdr.LAYOUT.byteSize());
        assertEquals(24, CtrlHdr.SIZE);
        assertEquals(16, Rect.SIZE);
        assertEquals(16, CursorPos.SIZE);
        assertEquals(16, MemEntry.SIZE);
        assertEquals(24, DisplayInfoEntry.SIZE);
        assertEquals(16, GpuConfig.SIZE);
    }

    @Test
    void headerOffsets() {
        assertEquals(0, CtrlHdr.TYPE);
        assertEquals(4, CtrlHdr.FLAGS);
        assertEquals(8, CtrlHdr.FENCE_ID);
        assertEquals(16, CtrlHdr.CTX_ID);
        assertEquals(20, CtrlHdr.RING_IDX);
    }

    @Test
    void requestStructs() {
        assertEquals(40, CmdResourceCreate2d.SIZE);
        assertEquals(32, CmdResourceUnref.SIZE);
        assertEquals(48, CmdSetScanout.SIZE);
        assertEquals(48, CmdResourceFlush.SIZE);
        assertEquals(56, CmdTransferToHost2d.SIZE);
        assertEquals(32, CmdResourceAttachBacking.SIZE);
        assertEquals(32, CmdResourceDetachBacking.SIZE);
        assertEquals(32, CmdGetEdid.SIZE);
        assertEquals(32, CmdResourceAssignUuid.SIZE);
        assertEquals(32, CmdGetCapsetInfo.SIZE);
        assertEquals(32, CmdGetCapset.SIZE);
        assertEquals(56, CmdUpdateCursor.SIZE);
    }

    @Test
    void requestOffsets() {
        assertEquals(24, CmdResourceCreate2d.RESOURCE_ID);
        assertEquals(36, CmdResourceCreate2d.HEIGHT);
        assertEquals(24, CmdSetScanout.R);
        assertEquals(40, CmdSetScanout.SCANOUT_ID);
        assertEquals(44, CmdSetScanout.RESOURCE_ID);
        assertEquals(40, CmdResourceFlush.RESOURCE_ID);
        assertEquals(40, CmdTransferToHost2d.OFFSET);
        assertEquals(48, CmdTransferToHost2d.RESOURCE_ID);
        assertEquals(28, CmdResourceAttachBacking.NR_ENTRIES);
        assertEquals(32, CmdResourceAttachBacking.ENTRIES);
        assertEquals(8, MemEntry.LENGTH);
        assertEquals(24, CmdUpdateCursor.POS);
        assertEquals(40, CmdUpdateCursor.RESOURCE_ID);
        assertEquals(44, CmdUpdateCursor.HOT_X);
        assertEquals(48, CmdUpdateCursor.HOT_Y);
        assertEquals(24, CmdGetEdid.SCANOUT);
        assertEquals(28, CmdGetCapset.CAPSET_VERSION);
    }

    @Test
    void responseStructs() {
        assertEquals(408, RespDisplayInfo.SIZE);
        assertEquals(24, RespDisplayInfo.PMODES);
        assertEquals(1056, RespEdid.SIZE);
        assertEquals(24, RespEdid.EDID_SIZE);
        assertEquals(32, RespEdid.EDID);
        assertEquals(40, RespResourceUuid.SIZE);
        assertEquals(24, RespResourceUuid.UUID);
        assertEquals(40, RespCapsetInfo.SIZE);
        assertEquals(32, RespCapsetInfo.CAPSET_MAX_SIZE);
        assertEquals(24, RespCapset.SIZE);
    }

    @Test
    void configOffsets() {
        assertEquals(8, GpuConfig.NUM_SCANOUTS);
        assertEquals(12, GpuConfig.NUM_CAPSETS);
    }

    @Test
    void layoutsAreUnalignedSafe() {
        // Every struct must be readable at any byte offset of a copied request.
        assertEquals(1, CtrlHdr.LAYOUT.byteAlignment());
        assertEquals(1, CmdTransferToHost2d.LAYOUT.byteAlignment());
        assertEquals(1, RespEdid.LAYOUT.byteAlignment());
        assertEquals(1, DisplayDmabufScanout2.LAYOUT.byteAlignment());
    }
}
