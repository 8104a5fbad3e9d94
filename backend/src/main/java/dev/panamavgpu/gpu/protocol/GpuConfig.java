package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code struct virtio_gpu_config} (16 bytes), the device config space answered to vhost-user GET_CONFIG.
 * QEMU 10's vhost-user-gpu overwrites events_read, events_clear and num_scanouts with its own values;
 * only num_capsets from the backend reaches the guest.
 */
public record GpuConfig(long eventsRead, long eventsClear, long numScanouts, long numCapsets) {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            Wire.LE32.withName("events_read"),
            Wire.LE32.withName("events_clear"),
            Wire.LE32.withName("num_scanouts"),
            Wire.LE32.withName("num_capsets"));

    public static final long EVENTS_READ = Wire.offset(LAYOUT, "events_read");
    public static final long EVENTS_CLEAR = Wire.offset(LAYOUT, "events_clear");
    public static final long NUM_SCANOUTS = Wire.offset(LAYOUT, "num_scanouts");
    public static final long NUM_CAPSETS = Wire.offset(LAYOUT, "num_capsets");
    public static final long SIZE = LAYOUT.byteSize();

    public GpuConfig {
        Wire.requireU32(eventsRead, "eventsRead");
        Wire.requireU32(eventsClear, "eventsClear");
        Wire.requireU32(numScanouts, "numScanouts");
        Wire.requireU32(numCapsets, "numCapsets");
    }

    public static GpuConfig read(MemorySegment s, long offset) {
        return new GpuConfig(Wire.le32(s, offset + EVENTS_READ), Wire.le32(s, offset + EVENTS_CLEAR),
                Wire.le32(s, offset + NUM_SCANOUTS), Wire.le32(s, offset + NUM_CAPSETS));
    }

    public void write(MemorySegment s, long offset) {
        Wire.putLe32(s, offset + EVENTS_READ, eventsRead);
        Wire.putLe32(s, offset + EVENTS_CLEAR, eventsClear);
        Wire.putLe32(s, offset + NUM_SCANOUTS, numScanouts);
        Wire.putLe32(s, offset + NUM_CAPSETS, numCapsets);
    }
}
