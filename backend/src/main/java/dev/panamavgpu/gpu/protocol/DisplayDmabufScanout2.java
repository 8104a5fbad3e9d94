package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * {@code VhostUserGpuDMABUFScanout2 {VhostUserGpuDMABUFScanout; u64 modifier}} (48 bytes, packed):
 * DMABUF_SCANOUT2 payload, allowed once PROTOCOL_F_DMABUF2 is negotiated.
 */
public final class DisplayDmabufScanout2 {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            DisplayDmabufScanout.LAYOUT.withName("dmabuf_scanout"),
            Wire.NE64.withName("modifier"));

    public static final long DMABUF_SCANOUT = Wire.offset(LAYOUT, "dmabuf_scanout");
    public static final long MODIFIER = Wire.offset(LAYOUT, "modifier");
    public static final long SIZE = LAYOUT.byteSize();

    private DisplayDmabufScanout2() {}
}
