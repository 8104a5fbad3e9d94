package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code struct virtio_gpu_display_one} (24 bytes): one scanout's preferred mode in RESP_OK_DISPLAY_INFO.
 *
 * @param enabled any non-zero {@code enabled} word reads as true; written back as 1
 * @param flags   u32 flags word, passed through as-is (no flags are defined today)
 */
public record DisplayInfoEntry(Rect rect, boolean enabled, int flags) {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            Rect.LAYOUT.withName("r"),
            Wire.LE32.withName("enabled"),
            Wire.LE32.withName("flags"));

    public static final long R = Wire.offset(LAYOUT, "r");
    public static final long ENABLED = Wire.offset(LAYOUT, "enabled");
    public static final long FLAGS = Wire.offset(LAYOUT, "flags");
    public static final long SIZE = LAYOUT.byteSize();

    public static final DisplayInfoEntry DISABLED = new DisplayInfoEntry(Rect.EMPTY, false, 0);

    public DisplayInfoEntry {
        java.util.Objects.requireNonNull(rect, "rect");
    }

    /** An enabled output of the given size at the origin, as QEMU reports it. */
    public static DisplayInfoEntry enabled(long width, long height) {
        return new DisplayInfoEntry(new Rect(0, 0, width, height), true, 0);
    }

    public static DisplayInfoEntry read(MemorySegment s, long offset) {
        return new DisplayInfoEntry(Rect.read(s, offset + R),
                s.get(Wire.LE32, offset + ENABLED) != 0, s.get(Wire.LE32, offset + FLAGS));
    }

    public void write(MemorySegment s, long offset) {
        rect.write(s, offset + R);
        s.set(Wire.LE32, offset + ENABLED, enabled ? 1 : 0);
        s.set(Wire.LE32, offset + FLAGS, flags);
    }
}
