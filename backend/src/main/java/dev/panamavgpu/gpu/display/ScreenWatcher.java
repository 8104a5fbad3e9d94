package dev.panamavgpu.gpu.display;

/**
 * A display beside QEMU's (a remote viewer server): it gets the same events as the display
 * channel, and reads pixels from the device through the {@link DamageSource} it is given, on the
 * device's loop thread only (the only thread on which the memory manager maps and unmaps them).
 * It outlives devices: a new connection's device attaches again.
 */
public interface ScreenWatcher extends ScreenSink {
    /** A device now serves the screen; pixels are read through {@code source}. */
    void attached(DamageSource source);

    /** The device reset or went away: every scanout is gone, {@code source} may no longer be used. */
    void detached();

    /** Watches nothing. */
    ScreenWatcher NONE = new ScreenWatcher() {
        @Override public void attached(DamageSource source) {}
        @Override public void detached() {}
        @Override public void scanout(int scanoutId, long width, long height) {}
        @Override public void damage(int scanoutId, DamageRect rect) {}
        @Override public void cursorImage(dev.panamavgpu.gpu.protocol.DisplayCursorPos pos, long hotX, long hotY, java.lang.foreign.MemorySegment argb) {}
        @Override public void cursorMove(dev.panamavgpu.gpu.protocol.DisplayCursorPos pos, boolean hide) {}
    };
}
