package dev.panamavgpu.vnc;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Turns rows of the backend's x8r8g8b8 pixels into a client's pixel bytes (RFB PIXEL or Tight TPIXEL). */
final class PixelWriter {
    private static final ValueLayout.OfInt PIXEL = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private PixelWriter() {}

    /** Converts {@code count} pixels starting at byte {@code from} of {@code src} into {@code out}; returns the bytes written. */
    static int pixels(RfbPixelFormat f, MemorySegment src, long from, int count, byte[] out, int at) {
        int start = at;
        if (f.equals(RfbPixelFormat.NATIVE)) { // the same bytes: one copy
            MemorySegment.copy(src, ValueLayout.JAVA_BYTE, from, out, at, count * 4);
            return count * 4;
        }
        for (int i = 0; i < count; i++) at = f.put(out, at, f.value(src.get(PIXEL, from + 4L * i)));
        return at - start;
    }

    /** Tight's TPIXEL: R, G, B for 24-bit colour, else the whole pixel. */
    static int tightPixels(RfbPixelFormat f, MemorySegment src, long from, int count, byte[] out, int at) {
        if (!f.tightPixelIs24()) return pixels(f, src, from, count, out, at);
        for (int i = 0; i < count; i++) {
            int p = f.value(src.get(PIXEL, from + 4L * i));
            out[at++] = (byte) (p >>> f.redShift());
            out[at++] = (byte) (p >>> f.greenShift());
            out[at++] = (byte) (p >>> f.blueShift());
        }
        return count * 3;
    }

    static int xrgb(MemorySegment src, long at) { return src.get(PIXEL, at); }
}
