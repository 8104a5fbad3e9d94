package dev.panamavgpu.vnc;

import dev.panamavgpu.gpu.display.DamageRect;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.zip.Deflater;

/**
 * Tight (RFB encoding 7), lossless subset: a rectangle of one colour is a Fill; one of at most
 * {@link #MAX_PALETTE} colours is Basic with the palette filter (1 bit per pixel for two colours,
 * else a byte), on zlib stream 1; anything else is Basic with the copy filter on stream 0. The
 * streams are this connection's and are never reset, so rectangles must go out in order (one writer thread per viewer does that); each
 * rectangle ends with a SYNC_FLUSH, so the viewer can inflate exactly its bytes. zlib is the JDK's
 * ({@link Deflater}); only the framing is ours. Rectangles are cut to at most 2048 pixels wide (RFB)
 * and {@link #MAX_PIXELS} pixels, so the compact length (22 bits) always fits.
 */
final class TightEncoder implements RectEncoder, AutoCloseable {
    static final int MAX_WIDTH = 2048;
    static final int MAX_PIXELS = 64 * 1024;
    private static final ValueLayout.OfInt PIXEL = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final int FILL = 0x80;
    static final int EXPLICIT_FILTER = 0x40, FILTER_PALETTE = 1;
    /** Palettes above this size rarely pay on screen content, and the search stays a short loop. */
    static final int MAX_PALETTE = 16;
    static final int MIN_TO_COMPRESS = 12; // shorter data goes out raw (RFB)

    private final Deflater deflater;        // stream 0: full-colour pixels
    private final Deflater indexDeflater;   // stream 1: palette indices
    private final int[] palette = new int[MAX_PALETTE];
    private byte[] data = new byte[0];
    private byte[] zipped = new byte[0];

    TightEncoder(int level) {
        deflater = new Deflater(level, false); // zlib-wrapped stream (RFC 1950), as viewers inflate it
        indexDeflater = new Deflater(level, false);
    }

    void level(int level) {
        deflater.setLevel(level);
        indexDeflater.setLevel(level);
    }

    @Override
    public int rectCount(DamageRect r) {
        long cols = (r.width() + MAX_WIDTH - 1) / MAX_WIDTH;
        int n = 0;
        for (long c = 0; c < cols; c++) {
            long w = Math.min(MAX_WIDTH, r.width() - c * MAX_WIDTH);
            long rows = Math.max(1, MAX_PIXELS / w);
            n += (int) ((r.height() + rows - 1) / rows);
        }
        return n;
    }

    @Override
    public void write(RfbOutput out, RfbPixelFormat f, DamageRect r, MemorySegment pixels) throws IOException {
        long stride = r.width() * 4;
        for (long cx = 0; cx < r.width(); cx += MAX_WIDTH) {
            int w = (int) Math.min(MAX_WIDTH, r.width() - cx);
            int rows = Math.max(1, MAX_PIXELS / w);
            for (long cy = 0; cy < r.height(); cy += rows) {
                int h = (int) Math.min(rows, r.height() - cy);
                subrect(out, f, r.x() + cx, r.y() + cy, w, h, pixels, cy * stride + cx * 4, stride);
            }
        }
    }

    private void subrect(RfbOutput out, RfbPixelFormat f, long x, long y, int w, int h, MemorySegment px, long from, long stride)
            throws IOException {
        RectEncoder.header(out, x, y, w, h, RfbWire.ENC_TIGHT);
        int colours = palette(px, from, stride, w, h);
        if (colours == 1) {
            int n = PixelWriter.tightPixels(f, px, from, 1, ensureData(4), 0);
            out.u8(FILL).bytes(data, 0, n);
            return;
        }
        if (colours > 1) {
            indexed(out, f, px, from, stride, w, h, colours);
            return;
        }
        byte[] d = ensureData(w * h * 4);
        int len = 0;
        for (int row = 0; row < h; row++) len += PixelWriter.tightPixels(f, px, from + row * stride, w, d, len);
        out.u8(0); // Basic, stream 0, no stream reset, copy filter
        compressed(out, deflater, d, len);
    }

    /** Basic with the palette filter on stream 1: the colours, then an index per pixel (a bit each for two). */
    private void indexed(RfbOutput out, RfbPixelFormat f, MemorySegment px, long from, long stride, int w, int h, int colours)
            throws IOException {
        out.u8(EXPLICIT_FILTER | 1 << 4).u8(FILTER_PALETTE).u8(colours - 1);
        byte[] one = new byte[4];
        MemorySegment c = MemorySegment.ofArray(one.clone());
        for (int i = 0; i < colours; i++) {
            c.set(PIXEL, 0, palette[i]);
            out.bytes(one, 0, PixelWriter.tightPixels(f, c, 0, 1, one, 0));
        }
        int rowBytes = colours == 2 ? (w + 7) / 8 : w;
        byte[] d = ensureData(rowBytes * h);
        java.util.Arrays.fill(d, 0, rowBytes * h, (byte) 0);
        for (int row = 0; row < h; row++) {
            long at = from + row * stride;
            for (int i = 0; i < w; i++) {
                int k = indexOf(PixelWriter.xrgb(px, at + 4L * i) & 0xffffff, colours);
                if (colours == 2) d[row * rowBytes + i / 8] |= (byte) (k << (7 - i % 8)); // MSB first
                else d[row * rowBytes + i] = (byte) k;
            }
        }
        compressed(out, indexDeflater, d, rowBytes * h);
    }

    private int indexOf(int rgb, int colours) {
        for (int k = 0; k < colours; k++) if (palette[k] == rgb) return k;
        throw new IllegalStateException("colour not in the palette");
    }

    /** The rectangle's distinct colours into {@link #palette}: their count, or 0 if more than {@link #MAX_PALETTE}. */
    private int palette(MemorySegment px, long from, long stride, int w, int h) {
        int n = 0;
        for (int row = 0; row < h; row++) {
            long at = from + row * stride;
            pixels:
            for (int i = 0; i < w; i++) {
                int rgb = PixelWriter.xrgb(px, at + 4L * i) & 0xffffff;
                for (int k = 0; k < n; k++) if (palette[k] == rgb) continue pixels;
                if (n == MAX_PALETTE) return 0;
                palette[n++] = rgb;
            }
        }
        return n;
    }

    /** Data shorter than 12 bytes goes raw; else a compact length and the zlib bytes (sync-flushed). */
    private void compressed(RfbOutput out, Deflater z, byte[] d, int len) throws IOException {
        if (len < MIN_TO_COMPRESS) {
            out.bytes(d, 0, len);
            return;
        }
        int n = deflate(z, d, len);
        compactLength(out, n);
        out.bytes(zipped, 0, n);
    }

    private int deflate(Deflater deflater, byte[] in, int len) {
        deflater.setInput(in, 0, len);
        if (zipped.length < len + 64) zipped = new byte[len + len / 8 + 64];
        int n = 0;
        while (true) {
            n += deflater.deflate(zipped, n, zipped.length - n, Deflater.SYNC_FLUSH);
            if (n < zipped.length) return n; // SYNC_FLUSH done: all input consumed and flushed
            zipped = java.util.Arrays.copyOf(zipped, zipped.length * 2);
        }
    }

    /** Tight's compact length: 7 bits per byte, low first, at most 3 bytes (22 bits). */
    static void compactLength(RfbOutput out, int len) throws IOException {
        if (len < 0 || len >= 1 << 22) throw new IllegalArgumentException("Tight data of " + len + " bytes");
        int b0 = len & 0x7f;
        if (len <= 0x7f) { out.u8(b0); return; }
        out.u8(b0 | 0x80);
        int b1 = (len >> 7) & 0x7f;
        if (len <= 0x3fff) { out.u8(b1); return; }
        out.u8(b1 | 0x80).u8((len >> 14) & 0xff);
    }

    private byte[] ensureData(int n) {
        if (data.length < n) data = new byte[n];
        return data;
    }

    @Override
    public void close() {
        deflater.end();
        indexDeflater.end();
    }
}
