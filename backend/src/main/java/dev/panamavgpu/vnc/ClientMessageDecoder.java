package dev.panamavgpu.vnc;

import static dev.panamavgpu.vnc.RfbWire.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * Decodes the messages a viewer sends after the handshake, one at a time, from the bytes read so
 * far. Every length a viewer announces is checked against a bound before anything is allocated;
 * an unknown message type is fatal, since its length cannot be known (RFB). Stateless.
 */
public final class ClientMessageDecoder {
    private ClientMessageDecoder() {}

    /** Clipboard text a viewer may send in one message (QEMU's bound, 1 MiB). */
    public static final int MAX_CUT_TEXT = 1 << 20;
    /** Encodings in one SetEncodings; real viewers send fewer than 40. */
    public static final int MAX_ENCODINGS = 1024;
    /** Bytes of a fence payload (RFB). */
    public static final int MAX_FENCE_PAYLOAD = 64;
    /** The longest message there can be: a cut text at its bound. */
    public static final int MAX_MESSAGE = (int) CUT_TEXT_MSG.byteSize() + MAX_CUT_TEXT;

    /** What {@link #decode} found at the start of the bytes. */
    public sealed interface Result {
        /** A whole message of {@code length} bytes. */
        record Message(ClientMessage message, int length) implements Result {}

        /** At least {@code length} bytes are needed to go on (never more than {@link #MAX_MESSAGE}). */
        record NeedMore(int length) implements Result {}

        /** The viewer broke the protocol; it is disconnected. */
        record Malformed(String why) implements Result {}
    }

    public static Result decode(MemorySegment in) {
        long have = in.byteSize();
        if (have < 1) return new Result.NeedMore(1);
        int type = in.get(U8, 0) & 0xff;
        return switch (type) {
            case SET_PIXEL_FORMAT -> fixed(in, SET_PIXEL_FORMAT_MSG,
                    () -> new ClientMessage.SetPixelFormat(RfbPixelFormat.read(in, offset(SET_PIXEL_FORMAT_MSG, "format"))));
            case SET_ENCODINGS -> setEncodings(in);
            case FRAMEBUFFER_UPDATE_REQUEST -> fixed(in, UPDATE_REQUEST_MSG, () -> new ClientMessage.UpdateRequest(
                    u8(in, 1) != 0, u16(in, 2), u16(in, 4), u16(in, 6), u16(in, 8)));
            case KEY_EVENT -> fixed(in, KEY_EVENT_MSG, () -> new ClientMessage.KeyEvent(u8(in, 1) != 0, in.get(U32, 4)));
            case POINTER_EVENT -> fixed(in, POINTER_EVENT_MSG, () -> new ClientMessage.PointerEvent(u8(in, 1), u16(in, 2), u16(in, 4)));
            case CLIENT_CUT_TEXT -> cutText(in);
            case ENABLE_CONTINUOUS_UPDATES -> fixed(in, CONTINUOUS_UPDATES_MSG, () -> new ClientMessage.ContinuousUpdates(
                    u8(in, 1) != 0, u16(in, 2), u16(in, 4), u16(in, 6), u16(in, 8)));
            case CLIENT_FENCE -> fence(in);
            case SET_DESKTOP_SIZE -> setDesktopSize(in);
            case QEMU_CLIENT -> qemu(in);
            default -> new Result.Malformed("unknown message type " + type);
        };
    }

    private interface Body { ClientMessage read(); }

    private static Result fixed(MemorySegment in, StructLayout layout, Body body) {
        int n = (int) layout.byteSize();
        return in.byteSize() < n ? new Result.NeedMore(n) : new Result.Message(body.read(), n);
    }

    private static Result setEncodings(MemorySegment in) {
        int head = (int) SET_ENCODINGS_MSG.byteSize();
        if (in.byteSize() < head) return new Result.NeedMore(head);
        int count = u16(in, 2);
        if (count > MAX_ENCODINGS) return new Result.Malformed(count + " encodings (at most " + MAX_ENCODINGS + ")");
        int n = head + 4 * count; // count <= 1024: no overflow
        if (in.byteSize() < n) return new Result.NeedMore(n);
        int[] e = new int[count];
        for (int i = 0; i < count; i++) e[i] = in.get(U32, head + 4L * i);
        return new Result.Message(new ClientMessage.SetEncodings(e), n);
    }

    private static Result cutText(MemorySegment in) {
        int head = (int) CUT_TEXT_MSG.byteSize();
        if (in.byteSize() < head) return new Result.NeedMore(head);
        long length = in.get(U32, 4); // s32 on the wire; negative means Extended Clipboard, which we never offer
        if (length < 0 || length > MAX_CUT_TEXT) return new Result.Malformed("cut text of " + length + " bytes (0.." + MAX_CUT_TEXT + ")");
        int n = head + (int) length;
        if (in.byteSize() < n) return new Result.NeedMore(n);
        return new Result.Message(new ClientMessage.CutText(in.asSlice(head, length).toArray(U8)), n);
    }

    private static Result fence(MemorySegment in) {
        int head = (int) FENCE_MSG.byteSize();
        if (in.byteSize() < head) return new Result.NeedMore(head);
        int length = u8(in, 8);
        if (length > MAX_FENCE_PAYLOAD) return new Result.Malformed("fence payload of " + length + " bytes");
        int n = head + length;
        if (in.byteSize() < n) return new Result.NeedMore(n);
        return new Result.Message(new ClientMessage.Fence(in.get(U32, 4), in.asSlice(head, length).toArray(U8)), n);
    }

    private static Result setDesktopSize(MemorySegment in) {
        int head = (int) SET_DESKTOP_SIZE_MSG.byteSize();
        if (in.byteSize() < head) return new Result.NeedMore(head);
        int screens = u8(in, 6);
        int n = head + (int) SCREEN.byteSize() * screens; // at most 8 + 16 * 255
        if (in.byteSize() < n) return new Result.NeedMore(n);
        return new Result.Message(new ClientMessage.SetDesktopSize(u16(in, 2), u16(in, 4), screens), n);
    }

    private static Result qemu(MemorySegment in) {
        if (in.byteSize() < 2) return new Result.NeedMore(2);
        int subtype = u8(in, 1);
        if (subtype != 0) return new Result.Malformed("QEMU client message subtype " + subtype); // audio: never offered
        return fixed(in, QEMU_KEY_MSG, () -> new ClientMessage.QemuKeyEvent(u16(in, 2) != 0, in.get(U32, 4), in.get(U32, 8)));
    }

    private static int u8(MemorySegment s, long at) { return s.get(U8, at) & 0xff; }
    private static int u16(MemorySegment s, long at) { return s.get(U16, at) & 0xffff; }
}
