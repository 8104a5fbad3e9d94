package dev.panamavgpu.gpu.protocol;

/**
 * Message codes, flags and protocol features of the vhost-user-gpu display socket (the socketpair QEMU hands over
 * with vhost-user message 33, GPU_SET_SOCKET). The backend sends requests; QEMU only replies.
 */
public final class DisplayRequest {
    public static final int GET_PROTOCOL_FEATURES = 1;
    public static final int SET_PROTOCOL_FEATURES = 2;
    public static final int GET_DISPLAY_INFO = 3;
    public static final int CURSOR_POS = 4;
    public static final int CURSOR_POS_HIDE = 5;
    public static final int CURSOR_UPDATE = 6;
    public static final int SCANOUT = 7;
    public static final int UPDATE = 8;
    public static final int DMABUF_SCANOUT = 9;
    public static final int DMABUF_UPDATE = 10;
    public static final int GET_EDID = 11;
    public static final int DMABUF_SCANOUT2 = 12;

    /** Header flag set on every reply. QEMU ignores request flags; we send 0. */
    public static final int FLAG_REPLY = 0x4;

    /** Protocol feature bits (bit numbers). QEMU 10 offers both. */
    public static final int PROTOCOL_F_EDID = 0;
    public static final int PROTOCOL_F_DMABUF2 = 1;

    private DisplayRequest() {}

    public static String name(int request) {
        return switch (request) {
            case GET_PROTOCOL_FEATURES -> "GET_PROTOCOL_FEATURES";
            case SET_PROTOCOL_FEATURES -> "SET_PROTOCOL_FEATURES";
            case GET_DISPLAY_INFO -> "GET_DISPLAY_INFO";
            case CURSOR_POS -> "CURSOR_POS";
            case CURSOR_POS_HIDE -> "CURSOR_POS_HIDE";
            case CURSOR_UPDATE -> "CURSOR_UPDATE";
            case SCANOUT -> "SCANOUT";
            case UPDATE -> "UPDATE";
            case DMABUF_SCANOUT -> "DMABUF_SCANOUT";
            case DMABUF_UPDATE -> "DMABUF_UPDATE";
            case GET_EDID -> "GET_EDID";
            case DMABUF_SCANOUT2 -> "DMABUF_SCANOUT2";
            default -> "UNKNOWN(" + Integer.toUnsignedString(request) + ")";
        };
    }
}
