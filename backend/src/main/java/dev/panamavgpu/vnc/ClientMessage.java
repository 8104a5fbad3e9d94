package dev.panamavgpu.vnc;

/** One message a viewer sent, decoded and bounded ({@link ClientMessageDecoder}). */
public sealed interface ClientMessage {
    /** The viewer wants pixels in {@code format} from now on (not yet checked: see {@link RfbPixelFormat#problem}). */
    record SetPixelFormat(RfbPixelFormat format) implements ClientMessage {}

    /** The encodings the viewer decodes, most preferred first (pseudo-encodings included). */
    record SetEncodings(int[] encodings) implements ClientMessage {}

    /** FramebufferUpdateRequest; coordinates are u16. */
    record UpdateRequest(boolean incremental, int x, int y, int width, int height) implements ClientMessage {}

    /** A key pressed or released; {@code keysym} is an X11 keysym (u32 kept in an int). */
    record KeyEvent(boolean down, int keysym) implements ClientMessage {}

    /** Pointer position (u16 each) and the button mask (bit 0 left, 1 middle, 2 right, 3/4 wheel up/down, ...). */
    record PointerEvent(int buttons, int x, int y) implements ClientMessage {}

    /** ClientCutText in Latin-1 (bounded by {@link ClientMessageDecoder#MAX_CUT_TEXT}). */
    record CutText(byte[] latin1) implements ClientMessage {}

    /** QEMU's extended key event: keysym plus the XT scancode (E0 xx as 0x80|xx). */
    record QemuKeyEvent(boolean down, int keysym, int keycode) implements ClientMessage {}

    /** EnableContinuousUpdates (we never acknowledge the pseudo-encoding, so a conforming viewer does not send it). */
    record ContinuousUpdates(boolean enable, int x, int y, int width, int height) implements ClientMessage {}

    /** ClientFence (only sent after a server fence, which we never send). */
    record Fence(int flags, byte[] payload) implements ClientMessage {}

    /** SetDesktopSize: the viewer asks for a size; the guest decides its mode, so the answer is "prohibited". */
    record SetDesktopSize(int width, int height, int screens) implements ClientMessage {}
}
