package dev.panamavgpu.vnc;

import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.structLayout;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * RFB 3.8 (RFC 6143) wire structures as layouts, with the offsets the decoder and encoders use.
 * Every RFB integer is big-endian. Sizes are checked against the RFC in RfbWireTest.
 */
public final class RfbWire {
    private RfbWire() {}

    static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** PIXEL_FORMAT (16 bytes). */
    public static final StructLayout PIXEL_FORMAT = structLayout(
            U8.withName("bits_per_pixel"), U8.withName("depth"), U8.withName("big_endian"), U8.withName("true_colour"),
            U16.withName("red_max"), U16.withName("green_max"), U16.withName("blue_max"),
            U8.withName("red_shift"), U8.withName("green_shift"), U8.withName("blue_shift"), paddingLayout(3));

    /** ServerInit without the name: u16 width, height; PIXEL_FORMAT; u32 name length (24 bytes). */
    public static final StructLayout SERVER_INIT = structLayout(
            U16.withName("width"), U16.withName("height"), PIXEL_FORMAT.withName("format"), U32.withName("name_length"));

    // ---- client to server ----
    public static final int SET_PIXEL_FORMAT = 0, SET_ENCODINGS = 2, FRAMEBUFFER_UPDATE_REQUEST = 3, KEY_EVENT = 4,
            POINTER_EVENT = 5, CLIENT_CUT_TEXT = 6, ENABLE_CONTINUOUS_UPDATES = 150, CLIENT_FENCE = 248,
            SET_DESKTOP_SIZE = 251, QEMU_CLIENT = 255;

    /** SetPixelFormat: u8 type, 3 pad, PIXEL_FORMAT (20 bytes). */
    public static final StructLayout SET_PIXEL_FORMAT_MSG = structLayout(U8.withName("type"), paddingLayout(3), PIXEL_FORMAT.withName("format"));
    /** SetEncodings: u8 type, pad, u16 count, then count s32 (4 + 4n bytes). */
    public static final StructLayout SET_ENCODINGS_MSG = structLayout(U8.withName("type"), paddingLayout(1), U16.withName("count"));
    /** FramebufferUpdateRequest: u8 type, u8 incremental, u16 x, y, w, h (10 bytes). */
    public static final StructLayout UPDATE_REQUEST_MSG = structLayout(U8.withName("type"), U8.withName("incremental"),
            U16.withName("x"), U16.withName("y"), U16.withName("width"), U16.withName("height"));
    /** KeyEvent: u8 type, u8 down, 2 pad, u32 keysym (8 bytes). */
    public static final StructLayout KEY_EVENT_MSG = structLayout(U8.withName("type"), U8.withName("down"), paddingLayout(2), U32.withName("keysym"));
    /** PointerEvent: u8 type, u8 buttons, u16 x, y (6 bytes). */
    public static final StructLayout POINTER_EVENT_MSG = structLayout(U8.withName("type"), U8.withName("buttons"), U16.withName("x"), U16.withName("y"));
    /** ClientCutText: u8 type, 3 pad, s32 length, then the text (8 + n bytes). */
    public static final StructLayout CUT_TEXT_MSG = structLayout(U8.withName("type"), paddingLayout(3), U32.withName("length"));
    /** EnableContinuousUpdates: u8 type, u8 enable, u16 x, y, w, h (10 bytes). */
    public static final StructLayout CONTINUOUS_UPDATES_MSG = structLayout(U8.withName("type"), U8.withName("enable"),
            U16.withName("x"), U16.withName("y"), U16.withName("width"), U16.withName("height"));
    /** ClientFence: u8 type, 3 pad, u32 flags, u8 length, then the payload (9 + n bytes, n <= 64). */
    public static final StructLayout FENCE_MSG = structLayout(U8.withName("type"), paddingLayout(3), U32.withName("flags"), U8.withName("length"));
    /** SetDesktopSize: u8 type, pad, u16 w, h, u8 screens, pad, then screens x SCREEN (8 + 16n bytes). */
    public static final StructLayout SET_DESKTOP_SIZE_MSG = structLayout(U8.withName("type"), paddingLayout(1),
            U16.withName("width"), U16.withName("height"), U8.withName("screens"), paddingLayout(1));
    /** A screen of ExtendedDesktopSize / SetDesktopSize: u32 id, u16 x, y, w, h, u32 flags (16 bytes). */
    public static final StructLayout SCREEN = structLayout(U32.withName("id"), U16.withName("x"), U16.withName("y"),
            U16.withName("width"), U16.withName("height"), U32.withName("flags"));
    /** QEMU extended key event: u8 255, u8 subtype 0, u16 down, u32 keysym, u32 keycode (12 bytes). */
    public static final StructLayout QEMU_KEY_MSG = structLayout(U8.withName("type"), U8.withName("subtype"),
            U16.withName("down"), U32.withName("keysym"), U32.withName("keycode"));

    // ---- server to client ----
    public static final int FRAMEBUFFER_UPDATE = 0;
    /** FramebufferUpdate: u8 type, pad, u16 number of rectangles (4 bytes). */
    public static final StructLayout UPDATE_HEADER = structLayout(U8.withName("type"), paddingLayout(1), U16.withName("rects"));
    /** A rectangle's header: u16 x, y, w, h, s32 encoding (12 bytes). */
    public static final StructLayout RECT_HEADER = structLayout(U16.withName("x"), U16.withName("y"), U16.withName("width"),
            U16.withName("height"), U32.withName("encoding"));

    // ---- encodings ----
    public static final int ENC_RAW = 0, ENC_COPY_RECT = 1, ENC_TIGHT = 7, ENC_ZRLE = 16;
    public static final int ENC_DESKTOP_SIZE = -223, ENC_LAST_RECT = -224, ENC_CURSOR = -239,
            ENC_EXTENDED_DESKTOP_SIZE = -308;
    /** Tight compression level pseudo-encodings -256 (level 0) .. -247 (level 9). */
    public static final int ENC_COMPRESS_LEVEL_0 = -256, ENC_COMPRESS_LEVEL_9 = -247;

    /** Offset of a named field, for the few places that read or write single fields. */
    static long offset(StructLayout s, String field) {
        return s.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }
}
