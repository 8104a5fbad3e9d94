package dev.panamavgpu.gpu.display;

import dev.panamavgpu.gpu.protocol.DisplayCursorPos;
import java.lang.foreign.MemorySegment;

/**
 * What the device tells a display about its scanouts and cursor. The device calls it on its loop
 * thread, after the state changed; an implementation must not block and must not keep
 * {@code argb} (it is the caller's buffer).
 */
public interface ScreenSink {
    /** Scanout {@code scanoutId} now shows a {@code width}x{@code height} picture (0x0: disabled). */
    void scanout(int scanoutId, long width, long height);

    /** {@code rect} of a scanout changed (in scanout coordinates). */
    void damage(int scanoutId, DamageRect rect);

    /**
     * {@code dst} of a scanout now shows what the same-sized area at ({@code srcX}, {@code srcY})
     * showed just before: a copy the device knows of (QXL COPY_BITS), with its source inside the
     * scanout. A sink that cannot use it takes it as damage of {@code dst}.
     */
    default void copy(int scanoutId, DamageRect dst, long srcX, long srcY) {
        damage(scanoutId, dst);
    }

    /** A new 64x64 cursor image (a8r8g8b8, little-endian ints) at {@code pos}, with its hotspot. */
    void cursorImage(DisplayCursorPos pos, long hotX, long hotY, MemorySegment argb);

    /** The cursor moved, or is hidden. */
    void cursorMove(DisplayCursorPos pos, boolean hide);
}
