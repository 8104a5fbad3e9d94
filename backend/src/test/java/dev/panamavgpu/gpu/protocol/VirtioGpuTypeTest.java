package dev.panamavgpu.gpu.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Codes from linux/virtio_gpu.h: enum values follow each other from the start of each range. */
class VirtioGpuTypeTest {

    @Test
    void twoDimensionalRange() {
        assertEquals(0x100, VirtioGpuType.CMD_GET_DISPLAY_INFO);
        assertEquals(0x105, VirtioGpuType.CMD_TRANSFER_TO_HOST_2D);
        assertEquals(0x10A, VirtioGpuType.CMD_GET_EDID);
        assertEquals(0x10B, VirtioGpuType.CMD_RESOURCE_ASSIGN_UUID);
        assertEquals(0x10C, VirtioGpuType.CMD_RESOURCE_CREATE_BLOB);
        assertEquals(0x10D, VirtioGpuType.CMD_SET_SCANOUT_BLOB);
    }

    @Test
    void otherRanges() {
        assertEquals(0x200, VirtioGpuType.CMD_CTX_CREATE);
        assertEquals(0x207, VirtioGpuType.CMD_SUBMIT_3D);
        assertEquals(0x209, VirtioGpuType.CMD_RESOURCE_UNMAP_BLOB);
        assertEquals(0x300, VirtioGpuType.CMD_UPDATE_CURSOR);
        assertEquals(0x301, VirtioGpuType.CMD_MOVE_CURSOR);
        assertEquals(0x1100, VirtioGpuType.RESP_OK_NODATA);
        assertEquals(0x1106, VirtioGpuType.RESP_OK_MAP_INFO);
        assertEquals(0x1200, VirtioGpuType.RESP_ERR_UNSPEC);
        assertEquals(0x1205, VirtioGpuType.RESP_ERR_INVALID_PARAMETER);
    }

    @Test
    void flagsFeaturesAndLimits() {
        assertEquals(1, VirtioGpu.FLAG_FENCE);
        assertEquals(2, VirtioGpu.FLAG_INFO_RING_IDX);
        assertEquals(0, VirtioGpu.F_VIRGL);
        assertEquals(1, VirtioGpu.F_EDID);
        assertEquals(2, VirtioGpu.F_RESOURCE_UUID);
        assertEquals(3, VirtioGpu.F_RESOURCE_BLOB);
        assertEquals(4, VirtioGpu.F_CONTEXT_INIT);
        assertEquals(0b10, VirtioGpu.featureMask(VirtioGpu.F_EDID));
        assertEquals(16, VirtioGpu.MAX_SCANOUTS);
    }

    @Test
    void errorRange() {
        assertTrue(VirtioGpuType.isError(VirtioGpuType.RESP_ERR_UNSPEC));
        assertTrue(VirtioGpuType.isError(0x12FF));
        assertFalse(VirtioGpuType.isError(VirtioGpuType.RESP_OK_NODATA));
        assertFalse(VirtioGpuType.isError(0x11200));
    }

    @Test
    void names() {
        assertEquals("CMD_SET_SCANOUT", VirtioGpuType.name(0x103));
        assertEquals("RESP_ERR_OUT_OF_MEMORY", VirtioGpuType.name(0x1201));
        assertEquals("0xdeadbeef", VirtioGpuType.name(0xDEADBEEF));
    }
}
