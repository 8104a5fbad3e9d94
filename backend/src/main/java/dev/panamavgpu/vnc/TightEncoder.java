package dev.panamavgpu.vnc;

import dev.panamavgpu.gpu.display.DamageRect;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.zip.Deflater;

/**
 * Tight (RFB encoding 7), lossless subset: a rectangle of one colour is a Fill, anything else is
 * Basic with the copy filter, zlib-compressed on stream 0. The stream is this connection's and is
 * never reset, so rectangles must go out in order (one writer thread per viewer does that); each
 * rectangle ends with a SYNC_FLUSH, so the viewer can inflate exactly its bytes. zlib is the JDK's
 * ({@link Deflater}); only the framing is ours. Rectangles are cut to at most 2048 pixels wide (RFB)
 * and {@link #MAX_PIXELS} pixels, so the compact length (22 bits) always fits.
 */
final class TightEncoder implements RectEncoder, AutoCloseable {
    static final int MAX_WIDTH = 2048;
    static final int MAX_PIXELS = 64 * 1024;
    static final int FILL = 0x80;
    static final int MIN_TO_COMPRESS = 12; // shorter data goes out raw (RFB)

    private final Deflater deflater;
    private byte[] data = new byte[0];
    private byte[] zipped = new byte[0];

    TightEncoder(int level) {
        deflater = new Deflater(level, false); // zlib-wrapped stream (RFC 1950), as viewers inflate it
    }

    void level(int level) { deflater.setLevel(level); }

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
        if (oneColour(px, from, stride, w, h)) {
            int n = PixelWriter.tightPixels(f, px, from, 1, ensureData(4), 0);
            out.u8(FILL).bytes(data, 0, n);
            return;
        }
        byte[] d = ensureData(w * h * 4);
        int len = 0;
        for (int row = 0; row < h; row++) len += PixelWriter.tightPixels(f, px, from + row * stride, w, d, len);
        out.u8(0); // Basic, stream 0, no stream reset, copy filter
        if (len < MIN_TO_COMPRESS) {
            out.bytes(d, 0, len);
            return;
        }
        int z = deflate(d, len);
        compactLength(out, z);
        out.bytes(zipped, 0, z);
    }

    private static boolean oneColour(MemorySegment px, long from, long stride, int w, int h) {
        int first = PixelWriter.xrgb(px, from) & 0xffffff;
        for (int row = 0; row < h; row++) {
            long at = from + row * stride;
            for (int i = 0; i < w; i++) if ((PixelWriter.xrgb(px, at + 4L * i) & 0xffffff) != first) return false;
        }
        return true;
    }

    private int deflate(byte[] in, int len) {
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
    public void close() { deflater.end(); }
}
