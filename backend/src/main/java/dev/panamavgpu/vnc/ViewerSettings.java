package dev.panamavgpu.vnc;

import static dev.panamavgpu.vnc.RfbWire.*;

/**
 * What a viewer asked for with SetPixelFormat and SetEncodings. Immutable: the reader thread
 * replaces it, the writer takes the current one at the start of each update.
 */
record ViewerSettings(RfbPixelFormat format, int encoding, int compressLevel, boolean lastRect, boolean cursor,
                      boolean desktopSize, boolean extendedDesktopSize, boolean copyRect) {
    static final int DEFAULT_COMPRESS_LEVEL = 1; // zlib's fastest: the viewer's thread pays for it, per update

    static final ViewerSettings INITIAL = new ViewerSettings(RfbPixelFormat.NATIVE, ENC_RAW, DEFAULT_COMPRESS_LEVEL, false, false, false, false, false);

    /** The first encoding of the viewer's list that we speak is used (as QEMU does); features reset on each call. */
    ViewerSettings withEncodings(int[] list) {
        int enc = -1, level = DEFAULT_COMPRESS_LEVEL;
        boolean last = false, cur = false, ds = false, eds = false, copy = false;
        for (int e : list) {
            switch (e) {
                case ENC_RAW, ENC_TIGHT -> { if (enc < 0) enc = e; }
                case ENC_LAST_RECT -> last = true;
                case ENC_COPY_RECT -> copy = true;
                case ENC_CURSOR -> cur = true;
                case ENC_DESKTOP_SIZE -> ds = true;
                case ENC_EXTENDED_DESKTOP_SIZE -> eds = true;
                default -> {
                    if (e >= ENC_COMPRESS_LEVEL_0 && e <= ENC_COMPRESS_LEVEL_9) level = e - ENC_COMPRESS_LEVEL_0;
                }
            }
        }
        return new ViewerSettings(format, enc < 0 ? ENC_RAW : enc, level, last, cur, ds, eds, copy);
    }

    ViewerSettings withFormat(RfbPixelFormat f) {
        return new ViewerSettings(f, encoding, compressLevel, lastRect, cursor, desktopSize, extendedDesktopSize, copyRect);
    }

    boolean resizable() { return desktopSize || extendedDesktopSize; }

    static String encodingName(int e) {
        return switch (e) {
            case ENC_RAW -> "Raw";
            case ENC_TIGHT -> "Tight";
            default -> Integer.toString(e);
        };
    }
}
