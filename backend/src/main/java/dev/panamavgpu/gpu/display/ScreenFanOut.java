package dev.panamavgpu.gpu.display;

import dev.panamavgpu.gpu.protocol.DisplayCursorPos;
import java.lang.foreign.MemorySegment;

/** The device's screen events to QEMU's display channel first, then to a watcher (remote viewers). */
public record ScreenFanOut(ScreenSink first, ScreenSink second) implements ScreenSink {
    @Override
    public void scanout(int scanoutId, long width, long height) {
        first.scanout(scanoutId, width, height);
        second.scanout(scanoutId, width, height);
    }

    @Override
    public void damage(int scanoutId, DamageRect rect) {
        first.damage(scanoutId, rect);
        second.damage(scanoutId, rect);
    }

    @Override
    public void copy(int scanoutId, DamageRect dst, long srcX, long srcY) {
        first.copy(scanoutId, dst, srcX, srcY);
        second.copy(scanoutId, dst, srcX, srcY);
    }

    @Override
    public void cursorImage(DisplayCursorPos pos, long hotX, long hotY, MemorySegment argb) {
        first.cursorImage(pos, hotX, hotY, argb);
        second.cursorImage(pos, hotX, hotY, argb);
    }

    @Override
    public void cursorMove(DisplayCursorPos pos, boolean hide) {
        first.cursorMove(pos, hide);
        second.cursorMove(pos, hide);
    }
}
