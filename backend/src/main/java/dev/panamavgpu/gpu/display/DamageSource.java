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
}
