package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemorySegment;

/**
 * Writes complete display-socket request messages (header + payload) at the start of a segment.
 *
 * <p>QEMU trusts the sizes it is sent (it reads width·height·4 pixel bytes for UPDATE and 16 KiB for CURSOR_UPDATE
 * whatever {@code size} says), so every message here is written with its exact size and the methods refuse a
 * segment too small for the whole message instead of writing part of it. Arguments come from the backend, not the
 * guest, so misuse throws. Each method returns the number of bytes to send.
 */
public final class DisplayRequestEncoder {
    /** Where UPDATE pixel data starts in the message. */
    public static final long UPDATE_DATA_OFFSET = DisplayMsgHeader.SIZE + DisplayUpdate.DATA;

    private DisplayRequestEncoder() {}

    public static int getProtocolFeatures(MemorySegment out) {
        return bare(out, DisplayRequest.GET_PROTOCOL_FEATURES);
    }

    public static int setProtocolFeatures(MemorySegment out, long features) {
        int n = header(out, DisplayRequest.SET_PROTOCOL_FEATURES, Long.BYTES);
        out.set(Wire.NE64, DisplayMsgHeader.SIZE, features);
        return n;
    }

    public static int getDisplayInfo(MemorySegment out) {
        return bare(out, DisplayRequest.GET_DISPLAY_INFO);
    }

    public static int getEdid(MemorySegment out, long scanoutId) {
        Wire.requireU32(scanoutId, "scanoutId");
        int n = header(out, DisplayRequest.GET_EDID, DisplayEdidRequest.SIZE);
        Wire.putNe32(out, DisplayMsgHeader.SIZE + DisplayEdidRequest.SCANOUT_ID, scanoutId);
        return n;
    }

    /** Shows the cursor at {@code pos}. */
    public static int cursorPos(MemorySegment out, DisplayCursorPos pos) {
        int n = header(out, DisplayRequest.CURSOR_POS, DisplayCursorPos.SIZE);
        pos.write(out, DisplayMsgHeader.SIZE);
        return n;
    }

    /** Hides the cursor (QEMU still records the position). */
    public static int cursorPosHide(MemorySegment out, DisplayCursorPos pos) {
        int n = header(out, DisplayRequest.CURSOR_POS_HIDE, DisplayCursorPos.SIZE);
        pos.write(out, DisplayMsgHeader.SIZE);
        return n;
    }

    /**
     * New cursor image and position.
     *
     * @param argb exactly 64·64·4 bytes of PIXMAN_a8r8g8b8 (memory bytes B,G,R,A), rows of 256 bytes
     */
    public static int cursorUpdate(MemorySegment out, DisplayCursorPos pos, long hotX, long hotY, MemorySegment argb) {
        Wire.requireU32(hotX, "hotX");
        Wire.requireU32(hotY, "hotY");
        if (argb.byteSize() != DisplayCursorUpdate.DATA_BYTES) {
            throw new IllegalArgumentException("cursor image must be 16384 bytes: " + argb.byteSize());
        }
        int n = header(out, DisplayRequest.CURSOR_UPDATE, DisplayCursorUpdate.SIZE);
        long p = DisplayMsgHeader.SIZE;
        pos.write(out, p + DisplayCursorUpdate.POS);
        Wire.putNe32(out, p + DisplayCursorUpdate.HOT_X, hotX);
        Wire.putNe32(out, p + DisplayCursorUpdate.HOT_Y, hotY);
        MemorySegment.copy(argb, 0, out, p + DisplayCursorUpdate.DATA, DisplayCursorUpdate.DATA_BYTES);
        return n;
    }

    public static int scanout(MemorySegment out, DisplayScanout s) {
        int n = header(out, DisplayRequest.SCANOUT, DisplayScanout.SIZE);
        s.write(out, DisplayMsgHeader.SIZE);
        return n;
    }

    /** Total length of an UPDATE message for {@code u}: header, 20-byte head and the pixels. */
    public static long updateMessageSize(DisplayUpdate u) {
        return UPDATE_DATA_OFFSET + u.pixelBytes();
    }

    /**
     * Writes the header and head of an UPDATE; the caller then puts width·height·4 bytes of x8r8g8b8 (stride
     * width·4) at {@link #UPDATE_DATA_OFFSET}, e.g. with {@link PixelFormat#convertRect}, and sends the returned
     * length. Room for the pixels is required up front so the announced size is never more than what exists.
     *
     * @throws IllegalArgumentException if the payload size does not fit the u32 size field
     */
    public static long updateHeader(MemorySegment out, DisplayUpdate u) {
        Wire.requireRoom(out, 0, checkedUpdateSize(u));
        return updateHeaderOnly(out, u);
    }

    private static long checkedUpdateSize(DisplayUpdate u) {
        long payload = DisplayUpdate.DATA + u.pixelBytes();
        if (payload > Wire.U32_MAX) {
            throw new IllegalArgumentException("UPDATE payload exceeds u32: " + payload);
        }
        return DisplayMsgHeader.SIZE + payload;
    }

    /**
     * Writes only the {@link #UPDATE_DATA_OFFSET} bytes before the pixels, for a sender that gathers
     * the pixels from elsewhere (sendmsg with an iovec per row); returns the whole message's size.
     *
     * @throws IllegalArgumentException if the payload size does not fit the u32 size field
     */
    public static long updateHeaderOnly(MemorySegment out, DisplayUpdate u) {
        long total = checkedUpdateSize(u);
        Wire.requireRoom(out, 0, UPDATE_DATA_OFFSET);
        new DisplayMsgHeader(DisplayRequest.UPDATE, 0, total - DisplayMsgHeader.SIZE).write(out, 0);
        u.write(out, DisplayMsgHeader.SIZE);
        return total;
    }

    /** A complete UPDATE with pixels copied from {@code pixels} (exactly width·height·4 bytes of x8r8g8b8). */
    public static long update(MemorySegment out, DisplayUpdate u, MemorySegment pixels) {
        if (pixels.byteSize() != u.pixelBytes()) {
            throw new IllegalArgumentException(
                    "pixels must be " + u.pixelBytes() + " bytes, got " + pixels.byteSize());
        }
        long total = updateHeader(out, u);
        MemorySegment.copy(pixels, 0, out, UPDATE_DATA_OFFSET, pixels.byteSize());
        return total;
    }

    /** Sent together with the dmabuf fd (SCM_RIGHTS); the disable form goes without an fd. */
    public static int dmabufScanout(MemorySegment out, DisplayDmabufScanout s) {
        int n = header(out, DisplayRequest.DMABUF_SCANOUT, DisplayDmabufScanout.SIZE);
        s.write(out, DisplayMsgHeader.SIZE);
        return n;
    }

    /** DMABUF_SCANOUT with a format modifier; only after PROTOCOL_F_DMABUF2 was negotiated. */
    public static int dmabufScanout2(MemorySegment out, DisplayDmabufScanout s, long modifier) {
        int n = header(out, DisplayRequest.DMABUF_SCANOUT2, DisplayDmabufScanout2.SIZE);
        s.write(out, DisplayMsgHeader.SIZE + DisplayDmabufScanout2.DMABUF_SCANOUT);
        out.set(Wire.NE64, DisplayMsgHeader.SIZE + DisplayDmabufScanout2.MODIFIER, modifier);
        return n;
    }

    /** Asks QEMU to present a damaged region of the dmabuf scanout; QEMU replies when the frame was consumed. */
    public static int dmabufUpdate(MemorySegment out, DisplayUpdate u) {
        int n = header(out, DisplayRequest.DMABUF_UPDATE, DisplayUpdate.SIZE);
        u.write(out, DisplayMsgHeader.SIZE);
        return n;
    }

    private static int bare(MemorySegment out, int request) {
        return header(out, request, 0);
    }

    /** Checks room for header + payload, writes the header (flags 0) and returns the message length. */
    private static int header(MemorySegment out, int request, long payload) {
        long total = DisplayMsgHeader.SIZE + payload;
        Wire.requireRoom(out, 0, total);
        new DisplayMsgHeader(request, 0, payload).write(out, 0);
        return (int) total;
    }
}
