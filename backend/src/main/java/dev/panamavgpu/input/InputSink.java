package dev.panamavgpu.input;

/**
 * Where a remote viewer's keys and pointer go (the RFB server calls it; the input device turns the calls
 * into evdev events for the guest). Implementations are safe from any thread, never block and never
 * throw for odd values: the network is untrusted, so out-of-range input is clamped or dropped.
 */
public interface InputSink {
    /**
     * A key went down or up.
     *
     * @param keysym  the X11 keysym of RFB KeyEvent (used when {@code keycode} is 0 or unknown)
     * @param keycode the QEMU key number of RFB's QEMU extended key event (XT scancode, 0xE0-prefixed keys as
     *                0x80 | code), 0 if the viewer sent a plain KeyEvent
     * @param down    true for press; a press of a key already down is delivered as autorepeat
     */
    void key(int keysym, int keycode, boolean down);

    /**
     * The pointer is at ({@code x}, {@code y}) in a framebuffer of {@code width} x {@code height} pixels with
     * the RFB button mask {@code buttonMask} (bit 0 left, 1 middle, 2 right, 3/4 wheel up/down, 5/6 wheel
     * left/right).
     */
    void pointer(int buttonMask, int x, int y, int width, int height);

    /**
     * Releases every key and button still down (a viewer went away mid-press: without this the guest
     * would see the key held until the next viewer presses it).
     */
    default void releaseAll() {}

    /** A sink that drops everything: what a viewer gets when the backend serves no input device. */
    InputSink NONE = new InputSink() {
        @Override public void key(int keysym, int keycode, boolean down) {}
        @Override public void pointer(int buttonMask, int x, int y, int width, int height) {}
    };
}
