package dev.panamavgpu.vnc;

import dev.panamavgpu.gpu.display.DamageRect;

/**
 * A copy within the screen, as a viewer is told it (RFB CopyRect): {@code dst} now shows what the
 * same-sized area at ({@code srcX}, {@code srcY}) showed. Metadata only: the viewer copies the
 * pixels it already has.
 */
record CopyRect(DamageRect dst, long srcX, long srcY) {
    DamageRect source() { return new DamageRect(srcX, srcY, dst.width(), dst.height()); }
}
