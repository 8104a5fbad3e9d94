package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * {@code VhostUserGpuEdidRequest {u32 scanout_id}} (4 bytes): GET_EDID payload. QEMU sends no reply at all for a
 * scanout id ≥ its max_outputs, so callers must validate the id (or time out) before waiting.
 */
public final class DisplayEdidRequest {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(Wire.NE32.withName("scanout_id"));

    public static final long SCANOUT_ID = Wire.offset(LAYOUT, "scanout_id");
    public static final long SIZE = LAYOUT.byteSize();

    private DisplayEdidRequest() {}
}
