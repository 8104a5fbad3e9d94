package dev.panamavgpu.vnc;

import static dev.panamavgpu.vnc.RfbWire.PIXEL_FORMAT;
import static dev.panamavgpu.vnc.RfbWire.U16;
import static dev.panamavgpu.vnc.RfbWire.U8;

import java.lang.foreign.MemorySegment;

/**
 * A client's PIXEL_FORMAT: how a pixel value is laid out (true colour only: we keep no colour map).
 * Converts the backend's pixels (0x00RRGGBB ints, x8r8g8b8 in memory) to the client's values.
 */
public record RfbPixelFormat(int bitsPerPixel, int depth, boolean bigEndian, boolean trueColour,
                             int redMax, int greenMax, int blueMax, int redShift, int greenShift, int blueShift) {

    /** What the server offers: 32 bpp, depth 24, little-endian, R16 G8 B0, i.e. B,G,R,X in memory (= x8r8g8b8). */
    public static final RfbPixelFormat NATIVE = new RfbPixelFormat(32, 24, false, true, 255, 255, 255, 16, 8, 0);

    public static final long SIZE = PIXEL_FORMAT.byteSize();
    private static final long BPP = RfbWire.offset(PIXEL_FORMAT, "bits_per_pixel"), DEPTH = RfbWire.offset(PIXEL_FORMAT, "depth"),
            BIG_ENDIAN = RfbWire.offset(PIXEL_FORMAT, "big_endian"), TRUE_COLOUR = RfbWire.offset(PIXEL_FORMAT, "true_colour"),
            RED_MAX = RfbWire.offset(PIXEL_FORMAT, "red_max"), GREEN_MAX = RfbWire.offset(PIXEL_FORMAT, "green_max"),
            BLUE_MAX = RfbWire.offset(PIXEL_FORMAT, "blue_max"), RED_SHIFT = RfbWire.offset(PIXEL_FORMAT, "red_shift"),
            GREEN_SHIFT = RfbWire.offset(PIXEL_FORMAT, "green_shift"), BLUE_SHIFT = RfbWire.offset(PIXEL_FORMAT, "blue_shift");

    public static RfbPixelFormat read(MemorySegment s, long at) {
        return new RfbPixelFormat(u8(s, at + BPP), u8(s, at + DEPTH), u8(s, at + BIG_ENDIAN) != 0, u8(s, at + TRUE_COLOUR) != 0,
                u16(s, at + RED_MAX), u16(s, at + GREEN_MAX), u16(s, at + BLUE_MAX),
                u8(s, at + RED_SHIFT), u8(s, at + GREEN_SHIFT), u8(s, at + BLUE_SHIFT));
    }

    public void write(MemorySegment s, long at) {
        s.asSlice(at, SIZE).fill((byte) 0);
        s.set(U8, at + BPP, (byte) bitsPerPixel);
        s.set(U8, at + DEPTH, (byte) depth);
        s.set(U8, at + BIG_ENDIAN, (byte) (bigEndian ? 1 : 0));
        s.set(U8, at + TRUE_COLOUR, (byte) (trueColour ? 1 : 0));
        s.set(U16, at + RED_MAX, (short) redMax);
        s.set(U16, at + GREEN_MAX, (short) greenMax);
        s.set(U16, at + BLUE_MAX, (short) blueMax);
        s.set(U8, at + RED_SHIFT, (byte) redShift);
        s.set(U8, at + GREEN_SHIFT, (byte) greenShift);
        s.set(U8, at + BLUE_SHIFT, (byte) blueShift);
    }

    private static int u8(MemorySegment s, long at) { return s.get(U8, at) & 0xff; }
    private static int u16(MemorySegment s, long at) { return s.get(U16, at) & 0xffff; }

    /**
     * Why this format cannot be served, or null if it can: true colour at 8, 16 or 32 bits per
     * pixel, every channel's max + shift inside the pixel (as QEMU accepts; colour maps are not kept).
     */
    public String problem() {
        if (bitsPerPixel != 8 && bitsPerPixel != 16 && bitsPerPixel != 32) return "bits per pixel " + bitsPerPixel + " (8, 16 or 32)";
        if (!trueColour) return "colour-map formats are not served";
        for (int[] c : new int[][] {{redMax, redShift}, {greenMax, greenShift}, {blueMax, blueShift}}) {
            if (c[0] == 0) return "a colour max of 0";
            if (c[1] + bits(c[0]) > bitsPerPixel) return "max " + c[0] + " at shift " + c[1] + " does not fit " + bitsPerPixel + " bits";
        }
        return null;
    }

    private static int bits(int max) { return 32 - Integer.numberOfLeadingZeros(max); }

    public int bytesPerPixel() { return bitsPerPixel / 8; }

    /**
     * Tight sends 3-byte pixels (R, G, B) for 32 bpp, depth 24 with all maxes 255 (RFB, Tight
     * encoding); else whole pixels.
     */
    public boolean tightPixelIs24() {
        return bitsPerPixel == 32 && depth == 24 && redMax == 255 && greenMax == 255 && blueMax == 255;
    }

    /** The client's value for an x8r8g8b8 pixel; channels scaled to their max, rounded to nearest. */
    public int value(int xrgb) {
        int r = (xrgb >>> 16) & 0xff, g = (xrgb >>> 8) & 0xff, b = xrgb & 0xff;
        return scale(r, redMax) << redShift | scale(g, greenMax) << greenShift | scale(b, blueMax) << blueShift;
    }

    private static int scale(int c, int max) {
        return max == 255 ? c : (c * max + 127) / 255;
    }

    /** Writes the value {@code v} of one pixel in the client's byte order; returns the next offset. */
    public int put(byte[] out, int at, int v) {
        switch (bitsPerPixel) {
            case 8 -> out[at] = (byte) v;
            case 16 -> {
                if (bigEndian) { out[at] = (byte) (v >>> 8); out[at + 1] = (byte) v; }
                else { out[at] = (byte) v; out[at + 1] = (byte) (v >>> 8); }
            }
            default -> {
                if (bigEndian) { out[at] = (byte) (v >>> 24); out[at + 1] = (byte) (v >>> 16); out[at + 2] = (byte) (v >>> 8); out[at + 3] = (byte) v; }
                else { out[at] = (byte) v; out[at + 1] = (byte) (v >>> 8); out[at + 2] = (byte) (v >>> 16); out[at + 3] = (byte) (v >>> 24); }
            }
        }
        return at + bytesPerPixel();
    }
}
