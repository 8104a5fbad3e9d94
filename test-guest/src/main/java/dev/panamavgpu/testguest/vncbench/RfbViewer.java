package dev.panamavgpu.testguest.vncbench;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A benchmark RFB viewer (RFC 6143, security None only): asks for 32-bit B,G,R,X pixels and one encoding,
 * decodes Raw and lossless Tight (Fill; Basic with the copy, palette (2..256 colours) and gradient filters)
 * into a framebuffer of 0xRRGGBB ints, because a viewer that skipped decoding would flatter the server
 * (a real viewer pays the inflate on its side of the same two cores). Single-threaded; one update at a time.
 */
public final class RfbViewer implements AutoCloseable {
    public static final int RAW = 0, TIGHT = 7;
    private static final int DESKTOP_SIZE = -223, LAST_RECT = -224;

    private final SocketChannel ch;
    private final ByteBuffer in = ByteBuffer.allocateDirect(1 << 20).flip();
    private final Inflater[] zlib = {new Inflater(), new Inflater(), new Inflater(), new Inflater()};
    private int width, height;
    private int[] fb;
    private volatile long bytesRead; // read by other threads: a bench watches a viewer go quiet
    private long pace, paceStartNanos, pacedBytes; // a slow viewer's byte rate (0: as fast as it can)

    private RfbViewer(SocketChannel ch) {
        this.ch = ch;
    }

    /** Connects, handshakes RFB 3.8 with security None, and sets B,G,R,X pixels and {@code encoding} (+ DesktopSize, LastRect). */
    public static RfbViewer open(SocketAddress a, int encoding) throws IOException {
        SocketChannel c = a instanceof UnixDomainSocketAddress ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        try {
            c.connect(a);
            RfbViewer v = new RfbViewer(c);
            v.handshake(encoding);
            return v;
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void handshake(int encoding) throws IOException {
        String version = new String(read(12), StandardCharsets.US_ASCII);
        if (!version.startsWith("RFB 003.")) throw new IOException("not an RFB server: " + version.strip());
        write("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII));
        int n = u8();
        if (n == 0) throw new IOException("refused: " + new String(read(u32()), StandardCharsets.UTF_8));
        byte[] types = read(n);
        boolean none = false;
        for (byte t : types) none |= t == 1;
        if (!none) throw new IOException("the server wants authentication; the bench viewer speaks security None only");
        write(new byte[] {1});
        if (u32() != 0) throw new IOException("security None refused: " + new String(read(u32()), StandardCharsets.UTF_8));
        write(new byte[] {1}); // shared
        resize(u16(), u16());
        read(16);
        read(u32()); // name
        ByteBuffer pf = ByteBuffer.allocate(20);
        pf.put((byte) 0).put(new byte[3]).put((byte) 32).put((byte) 24).put((byte) 0).put((byte) 1)
                .putShort((short) 255).putShort((short) 255).putShort((short) 255).put((byte) 16).put((byte) 8).put((byte) 0);
        write(pf.array());
        ByteBuffer enc = ByteBuffer.allocate(16);
        enc.put((byte) 2).put((byte) 0).putShort((short) 3).putInt(encoding).putInt(DESKTOP_SIZE).putInt(LAST_RECT);
        write(enc.array());
    }

    /**
     * From now on reads at most {@code bytesPerSecond} on average, in small reads with sleeps between them, as a
     * viewer behind a slow link does: the server sees its socket drain at that rate.
     */
    public void pace(long bytesPerSecond) {
        pace = bytesPerSecond;
        paceStartNanos = System.nanoTime();
        pacedBytes = 0;
    }

    public int width() { return width; }
    public int height() { return height; }
    /** Every byte received from the server since the connection opened (the handshake included), as the socket gave them. */
    public long bytesRead() { return bytesRead; }
    public int rgbAt(int x, int y) { return fb[y * width + x]; }

    /** Sends a FramebufferUpdateRequest for the whole screen. */
    public void request(boolean incremental) throws IOException {
        write(ByteBuffer.allocate(10).put((byte) 3).put((byte) (incremental ? 1 : 0)).putShort((short) 0).putShort((short) 0)
                .putShort((short) width).putShort((short) height).array());
    }

    /**
     * Reads server messages until one FramebufferUpdate has been applied; returns the pixels it painted
     * (the sum of its pixel rectangles' areas; a DesktopSize counts as the whole new screen).
     */
    public long readUpdate() throws IOException {
        while (true) {
            int type = u8();
            switch (type) {
                case 0 -> { return update(); }
                case 2 -> { } // bell
                case 3 -> { read(3); read(u32()); }
                default -> throw new IOException("unexpected server message " + type);
            }
        }
    }

    private long update() throws IOException {
        u8();
        int n = u16();
        long painted = 0;
        for (int i = 0; n == 0xffff || i < n; i++) {
            int x = u16(), y = u16(), w = u16(), h = u16(), enc = u32();
            if (enc == LAST_RECT) break;
            switch (enc) {
                case RAW -> raw(x, y, w, h);
                case TIGHT -> tight(x, y, w, h);
                case DESKTOP_SIZE -> resize(w, h);
                default -> throw new IOException("unexpected encoding " + enc);
            }
            painted += (long) w * h;
        }
        return painted;
    }

    private void resize(int w, int h) {
        width = w;
        height = h;
        fb = new int[w * h];
    }

    private void check(int x, int y, int w, int h) throws IOException {
        if (x + w > width || y + h > height) throw new IOException("rectangle " + w + "x" + h + "+" + x + "+" + y + " outside " + width + "x" + height);
    }

    private void raw(int x, int y, int w, int h) throws IOException {
        check(x, y, w, h);
        byte[] d = read(w * h * 4);
        for (int r = 0; r < h; r++) {
            int o = (y + r) * width + x, at = r * w * 4;
            for (int c = 0; c < w; c++, at += 4) fb[o + c] = (d[at + 2] & 0xff) << 16 | (d[at + 1] & 0xff) << 8 | (d[at] & 0xff);
        }
    }

    private static int tpixel(byte[] d, int at) { return (d[at] & 0xff) << 16 | (d[at + 1] & 0xff) << 8 | (d[at + 2] & 0xff); }

    private void tight(int x, int y, int w, int h) throws IOException {
        check(x, y, w, h);
        int control = u8();
        for (int s = 0; s < 4; s++) if ((control & (1 << s)) != 0) zlib[s].reset();
        int method = control >> 4;
        if (method == 8) { // Fill
            int rgb = tpixel(read(3), 0);
            for (int r = 0; r < h; r++) java.util.Arrays.fill(fb, (y + r) * width + x, (y + r) * width + x + w, rgb);
            return;
        }
        if (method > 7) throw new IOException("Tight method " + method + " (lossy or unasked-for) from a server told nothing about quality");
        int filter = (method & 4) != 0 ? u8() : 0;
        int[] palette = null;
        if (filter == 1) {
            palette = new int[u8() + 1];
            byte[] p = read(3 * palette.length);
            for (int i = 0; i < palette.length; i++) palette[i] = tpixel(p, 3 * i);
        } else if (filter != 0 && filter != 2) {
            throw new IOException("Tight filter " + filter);
        }
        int rowBytes = palette == null ? w * 3 : palette.length == 2 ? (w + 7) / 8 : w;
        byte[] d = data(method & 3, rowBytes * h);
        for (int r = 0; r < h; r++) {
            int o = (y + r) * width + x;
            for (int c = 0; c < w; c++) {
                int rgb;
                if (palette == null) rgb = tpixel(d, r * rowBytes + c * 3);
                else if (palette.length == 2) rgb = palette[(d[r * rowBytes + c / 8] >> (7 - c % 8)) & 1];
                else {
                    int k = d[r * rowBytes + c] & 0xff;
                    if (k >= palette.length) throw new IOException("palette index " + k + " of " + palette.length);
                    rgb = palette[k];
                }
                fb[o + c] = rgb;
            }
        }
        if (filter == 2) ungradient(x, y, w, h);
    }

    /** Tight's gradient filter sent each channel as the difference from left + above - above-left (clamped). */
    private void ungradient(int x, int y, int w, int h) {
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++) {
                int i = (y + r) * width + x + c, v = 0;
                for (int shift = 16; shift >= 0; shift -= 8) {
                    int left = c > 0 ? fb[i - 1] >> shift & 255 : 0, up = r > 0 ? fb[i - width] >> shift & 255 : 0;
                    int ul = c > 0 && r > 0 ? fb[i - width - 1] >> shift & 255 : 0;
                    int p = Math.clamp(left + up - ul, 0, 255);
                    v |= ((fb[i] >> shift) + p & 255) << shift;
                }
                fb[i] = v;
            }
    }

    private byte[] data(int stream, int len) throws IOException {
        if (len < 12) return read(len);
        int b = u8(), clen = b & 0x7f;
        if ((b & 0x80) != 0) {
            b = u8();
            clen |= (b & 0x7f) << 7;
            if ((b & 0x80) != 0) clen |= u8() << 14;
        }
        byte[] z = read(clen), d = new byte[len];
        Inflater inf = zlib[stream];
        inf.setInput(z);
        try {
            int got = 0;
            while (got < len) {
                int k = inf.inflate(d, got, len - got);
                if (k == 0 && (inf.needsInput() || inf.needsDictionary())) throw new IOException("Tight data ended after " + got + " of " + len);
                got += k;
            }
        } catch (DataFormatException e) {
            throw new IOException("Tight zlib: " + e.getMessage());
        }
        return d;
    }

    private void write(byte[] b) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b);
        while (bb.hasRemaining()) ch.write(bb);
    }

    private byte[] read(int n) throws IOException {
        byte[] b = new byte[n];
        int got = 0;
        while (got < n) {
            if (!in.hasRemaining()) {
                in.clear();
                if (pace > 0) in.limit((int) Math.min(in.capacity(), Math.max(1024, pace / 50))); // about 50 reads a second
                int k = ch.read(in);
                in.flip();
                if (k < 0) throw new EOFException("server closed the connection");
                bytesRead += k;
                if (pace > 0) sleepToPace(k);
            }
            int k = Math.min(n - got, in.remaining());
            in.get(b, got, k);
            got += k;
        }
        return b;
    }

    private void sleepToPace(int k) throws IOException {
        pacedBytes += k;
        long wait = paceStartNanos + (long) (pacedBytes * 1e9 / pace) - System.nanoTime();
        if (wait <= 0) return;
        try {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private int u8() throws IOException { return read(1)[0] & 0xff; }
    private int u16() throws IOException { return ByteBuffer.wrap(read(2)).getShort() & 0xffff; }
    private int u32() throws IOException { return ByteBuffer.wrap(read(4)).getInt(); }

    /** Closes the connection: a read blocked in another thread ends with an exception. */
    public void disconnect() throws IOException {
        ch.close();
    }

    /** Closes the connection and frees the inflaters; no thread may be reading any more. */
    @Override
    public void close() throws IOException {
        ch.close();
        for (Inflater i : zlib) i.end();
    }
}
