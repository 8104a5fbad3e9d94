package dev.panamavgpu.gpu.display;

import java.lang.foreign.MemorySegment;

/** Where the display channel gets pixels from when it builds an UPDATE: the device's current state. */
public interface DamageSource {
    /**
     * Writes the x8r8g8b8 pixels of {@code rect} (already clipped to the scanout) of what scanout
     * {@code scanoutId} shows into {@code out} (stride = width * 4). False if the scanout no longer
     * shows anything, in which case the damage is dropped.
     */
    boolean render(int scanoutId, DamageRect rect, MemorySegment out);

    /**
     * The rows of {@code rect} straight from the resource's memory, in order, when its pixels are
     * already x8r8g8b8 and need no copy; null when they must be rendered. The segments stay valid
     * until the memory is unmapped, which the device announces to {@link DisplayChannel#forget} first.
     */
    default MemorySegment[] directRows(int scanoutId, DamageRect rect) {
        return null; // a source that only renders
    }
}
