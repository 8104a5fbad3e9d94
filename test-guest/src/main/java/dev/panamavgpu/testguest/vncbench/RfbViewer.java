package dev.panamavgpu.testguest.vncbench;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * The project's own RFB viewer (RFC 6143), written from the RFB and Tight descriptions alone (no server
 * code), for the benchmarks and the tests: handshake (RFB 3.3/3.7/3.8, security None or VNC
 * authentication), SetPixelFormat, SetEncodings, update requests, key and pointer events, and an update
 * reader that keeps a framebuffer of 0xRRGGBB ints from Raw, CopyRect and lossless Tight (Fill; Basic with
 * the copy, palette (2..256 colours) and gradient filters) rectangles, DesktopSize, ExtendedDesktopSize,
 * Cursor and LastRect. It decodes everything, because a viewer that skipped decoding would flatter the
 * server in a benchmark (a real viewer pays the inflate on its side of the same cores). Single-threaded;
 * one message at a time; {@link #bytesRead()} may be read from any thread.
 */
public final class RfbViewer implements AutoCloseable {
    public static final int RAW = 0, COPY_RECT = 1, TIGHT = 7;
    public static final int DESKTOP_SIZE = -223, LAST_RECT = -224, CURSOR = -239, QEMU_EXTENDED_KEY = -258,
            EXTENDED_DESKTOP_SIZE = -308;

    /** A pixel format as the viewer asks for it (true colour). */
    public record Format(int bpp, int depth, boolean bigEndian, int rmax, int gmax, int bmax, int rshift, int gshift, int bshift) {
        /** The server's native one: B, G, R, X in memory. */
        public static final Format BGRX = new Format(32, 24, false, 255, 255, 255, 16, 8, 0);
        /** noVNC's: R, G, B, X in memory. */
        public static final Format RGBX = new Format(32, 24, false, 255, 255, 255, 0, 8, 16);
        public static final Format RGB565 = new Format(16, 16, false, 31, 63, 31, 11, 5, 0);
        public static final Format RGB565_BE = new Format(16, 16, true, 31, 63, 31, 11, 5, 0);

        public int bytes() { return bpp / 8; }

        /** The 0xRRGGBB colour a pixel value stands for, each channel scaled back to 8 bits (nearest). */
        public int rgb(int v) {
            return ch(v >>> rshift & rmax, rmax) << 16 | ch(v >>> gshift & gmax, gmax) << 8 | ch(v >>> bshift & bmax, bmax);
        }

        private static int ch(int c, int max) { return (c * 255 + max / 2) / max; }

        /** What the server should send for colour 0xRRGGBB (nearest in each channel). */
        public int value(int rgb) {
            return sc(rgb >>> 16 & 255, rmax) << rshift | sc(rgb >>> 8 & 255, gmax) << gshift | sc(rgb & 255, bmax) << bshift;
        }

        private static int sc(int c, int max) { return (c * max + 127) / 255; }

        /** What a colour looks like after a round trip through this format. */
        public int quantize(int rgb) { return rgb(value(rgb)); }
    }

    /** The last Cursor pseudo-rectangle: hotspot, size, colours, and the mask (1 bit a pixel, rows byte-padded, MSB first). */
    public record Cursor(int hotX, int hotY, int width, int height, int[] rgb, byte[] mask) {
        public boolean shows(int x, int y) { return (mask[y * ((width + 7) / 8) + x / 8] & (0x80 >> (x % 8))) != 0; }
    }

    private final SocketChannel ch;
    private final ByteBuffer in = ByteBuffer.allocateDirect(1 << 20).flip();
    private final Inflater[] zlib = {new Inflater(), new Inflater(), new Inflater(), new Inflater()};
    private int width, height;
    private int[] fb = new int[0];
    private Format format = Format.BGRX;
    private String name;
    private Cursor cursor;
    private int updates, desktopSizes, extendedDesktopSizes, lastRects, tightPalettes, copyRects;
    private int lastEdsReason = -1, lastEdsStatus = -1;
    private final List<Integer> encodingsSeen = new ArrayList<>();
    private volatile long bytesRead; // read by other threads: a bench watches a viewer go quiet
    private long pace, paceStartNanos, pacedBytes; // a slow viewer's byte rate (0: as fast as it can)

    private RfbViewer(SocketChannel ch) {
        this.ch = ch;
    }

    /** Connects (TCP or unix socket); nothing is read or written yet. */
    public static RfbViewer connect(SocketAddress a) throws IOException {
        SocketChannel c = a instanceof UnixDomainSocketAddress ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        try {
            c.connect(a);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        return new RfbViewer(c);
    }

    /** Connects, handshakes RFB 3.8 with security None, and sets B,G,R,X pixels and {@code encoding} (+ DesktopSize, LastRect). */
    public static RfbViewer open(SocketAddress a, int encoding) throws IOException {
        RfbViewer v = connect(a);
        try {
            return v.handshake(8, null).setPixelFormat(Format.BGRX).setEncodings(encoding, DESKTOP_SIZE, LAST_RECT);
        } catch (IOException | RuntimeException e) {
            v.close();
            throw e;
        }
    }

    public SocketChannel channel() { return ch; }

    /**
     * The whole handshake as RFB 3.{@code minor}: security None when {@code password} is null, else VNC
     * authentication; then a shared ClientInit and the ServerInit. Throws with the server's reason on refusal.
     */
    public RfbViewer handshake(int minor, byte[] password) throws IOException {
        String v = new String(read(12), StandardCharsets.US_ASCII);
        if (!v.startsWith("RFB 003.")) throw new IOException("not an RFB server: " + v.strip());
        write(("RFB 003.00" + minor + "\n").getBytes(StandardCharsets.US_ASCII));
        int type;
        if (minor == 3) {
            type = u32();
            if (type == 0) throw new IOException("refused: " + string());
        } else {
            int n = u8();
            if (n == 0) throw new IOException("refused: " + string());
            byte[] types = read(n);
            type = types[0];
            for (byte t : types) if (t == (password == null ? 1 : 2)) type = t;
            write(new byte[] {(byte) type});
        }
        if (type == 2) {
            if (password == null) throw new IOException("the server wants a password");
            write(des(password, read(16)));
            if (u32() != 0) throw new IOException("authentication failed" + (minor == 8 ? ": " + string() : ""));
        } else if (type == 1) {
            if (minor == 8 && u32() != 0) throw new IOException("None refused: " + string());
        } else {
            throw new IOException("security type " + type);
        }
        write(new byte[] {1}); // shared
        resize(u16(), u16());
        read(16); // the server's format; ours is set with setPixelFormat
        name = new String(read(u32()), StandardCharsets.UTF_8);
        return this;
    }

    /** DES of the challenge with the password's first 8 bytes, each bit-reversed (RFB's key quirk). */
    public static byte[] des(byte[] password, byte[] challenge) {
        byte[] key = new byte[8];
        for (int i = 0; i < 8 && i < password.length; i++) key[i] = (byte) (Integer.reverse(password[i] & 0xff) >>> 24);
        try {
            Cipher c = Cipher.getInstance("DES/ECB/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DES"));
            return c.doFinal(challenge);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public RfbViewer setPixelFormat(Format f) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(20);
        b.put((byte) 0).put(new byte[3]).put((byte) f.bpp).put((byte) f.depth).put((byte) (f.bigEndian ? 1 : 0)).put((byte) 1)
                .putShort((short) f.rmax).putShort((short) f.gmax).putShort((short) f.bmax)
                .put((byte) f.rshift).put((byte) f.gshift).put((byte) f.bshift);
        write(b.array());
        format = f;
        return this;
    }

    public RfbViewer setEncodings(int... e) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * e.length);
        b.put((byte) 2).put((byte) 0).putShort((short) e.length);
        for (int x : e) b.putInt(x);
        write(b.array());
        return this;
    }

    public RfbViewer request(boolean incremental, int x, int y, int w, int h) throws IOException {
        write(ByteBuffer.allocate(10).put((byte) 3).put((byte) (incremental ? 1 : 0)).putShort((short) x).putShort((short) y)
                .putShort((short) w).putShort((short) h).array());
        return this;
    }

    /** A FramebufferUpdateRequest for the whole screen. */
    public RfbViewer requestAll(boolean incremental) throws IOException { return request(incremental, 0, 0, width, height); }

    /** KeyEvent with an X11 keysym. */
    public void key(boolean down, int keysym) throws IOException {
        write(ByteBuffer.allocate(8).put((byte) 4).put((byte) (down ? 1 : 0)).putShort((short) 0).putInt(keysym).array());
    }

    /** QEMU's extended key event (client message 255, subtype 0): a keysym and QEMU's key number (XT-based). */
    public void qemuKey(boolean down, int keysym, int keycode) throws IOException {
        write(ByteBuffer.allocate(12).put((byte) 255).put((byte) 0).putShort((short) (down ? 1 : 0)).putInt(keysym).putInt(keycode).array());
    }

    /** PointerEvent: button mask (bit 0 left ... 3/4 wheel up/down) at (x, y). */
    public void pointer(int buttons, int x, int y) throws IOException {
        write(ByteBuffer.allocate(6).put((byte) 5).put((byte) buttons).putShort((short) x).putShort((short) y).array());
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
    public Format format() { return format; }
    public String name() { return name; }
    /** The last cursor the server sent (null: none yet). */
    public Cursor cursor() { return cursor; }
    public int updates() { return updates; }
    public int desktopSizes() { return desktopSizes; }
    public int extendedDesktopSizes() { return extendedDesktopSizes; }
    public int lastRects() { return lastRects; }
    public int tightPalettes() { return tightPalettes; }
    public int copyRects() { return copyRects; }
    public int lastEdsReason() { return lastEdsReason; }
    public int lastEdsStatus() { return lastEdsStatus; }
    /** The encoding of every rectangle received, in order. */
    public List<Integer> encodingsSeen() { return encodingsSeen; }
    /** Every byte received from the server since the connection opened (the handshake included), as the socket gave them. */
    public long bytesRead() { return bytesRead; }
    public int rgbAt(int x, int y) { return fb[y * width + x]; }
    /** A copy of the framebuffer, 0xRRGGBB, row-major. */
    public int[] pixels() { return fb.clone(); }

    /** Reads one server message; returns its type (0 = an update, applied to the framebuffer). */
    public int readMessage() throws IOException {
        int type = u8();
        switch (type) {
            case 0 -> update();
            case 2 -> { } // bell
            case 3 -> { read(3); read(u32()); }
            default -> throw new IOException("unexpected server message " + type);
        }
        return type;
    }

    /**
     * Reads server messages until one FramebufferUpdate has been applied; returns the pixels it painted
     * (the sum of its rectangles' areas; a DesktopSize counts as the whole new screen).
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
            encodingsSeen.add(enc);
            if (enc == LAST_RECT) {
                lastRects++;
                break;
            }
            switch (enc) {
                case RAW -> raw(x, y, w, h);
                case COPY_RECT -> copyRect(x, y, w, h);
                case TIGHT -> tight(x, y, w, h);
                case DESKTOP_SIZE -> { desktopSizes++; resize(w, h); }
                case EXTENDED_DESKTOP_SIZE -> {
                    extendedDesktopSizes++;
                    lastEdsReason = x;
                    lastEdsStatus = y;
                    int screens = u8();
                    read(3);
                    read(16 * screens);
                    resize(w, h);
                }
                case CURSOR -> cursor(x, y, w, h);
                default -> throw new IOException("unexpected encoding " + enc);
            }
            if (enc != CURSOR) painted += (long) w * h;
        }
        updates++;
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

    private int pixel(byte[] b, int at, int bytes) {
        int v = 0;
        if (format.bigEndian) for (int k = 0; k < bytes; k++) v = v << 8 | (b[at + k] & 0xff);
        else for (int k = bytes - 1; k >= 0; k--) v = v << 8 | (b[at + k] & 0xff);
        return v;
    }

    private void raw(int x, int y, int w, int h) throws IOException {
        check(x, y, w, h);
        int bpp = format.bytes();
        byte[] d = read(w * h * bpp);
        boolean bgrx = format.equals(Format.BGRX);
        for (int r = 0; r < h; r++) {
            int o = (y + r) * width + x, at = r * w * bpp;
            for (int c = 0; c < w; c++, at += bpp)
                fb[o + c] = bgrx ? (d[at + 2] & 0xff) << 16 | (d[at + 1] & 0xff) << 8 | (d[at] & 0xff) : format.rgb(pixel(d, at, bpp));
        }
    }

    /** CopyRect: this framebuffer's own pixels at (srcX, srcY), as they were before this rectangle. */
    private void copyRect(int x, int y, int w, int h) throws IOException {
        int sx = u16(), sy = u16();
        check(x, y, w, h);
        check(sx, sy, w, h);
        copyRects++;
        int[] src = new int[w * h];
        for (int r = 0; r < h; r++) System.arraycopy(fb, (sy + r) * width + sx, src, r * w, w);
        for (int r = 0; r < h; r++) System.arraycopy(src, r * w, fb, (y + r) * width + x, w);
    }

    private boolean tight24() {
        return format.bpp == 32 && format.depth == 24 && format.rmax == 255 && format.gmax == 255 && format.bmax == 255;
    }

    private int tpixel(byte[] d, int at) {
        if (tight24()) return (d[at] & 0xff) << 16 | (d[at + 1] & 0xff) << 8 | (d[at + 2] & 0xff); // R, G, B
        return format.rgb(pixel(d, at, format.bytes()));
    }

    private void tight(int x, int y, int w, int h) throws IOException {
        check(x, y, w, h);
        if (w > 2048) throw new IOException("Tight rectangle " + w + " wide");
        int control = u8();
        for (int s = 0; s < 4; s++) if ((control & (1 << s)) != 0) zlib[s].reset();
        int method = control >> 4;
        int tp = tight24() ? 3 : format.bytes();
        if (method == 8) { // Fill
            int rgb = tpixel(read(tp), 0);
            for (int r = 0; r < h; r++) Arrays.fill(fb, (y + r) * width + x, (y + r) * width + x + w, rgb);
            return;
        }
        if (method > 7) throw new IOException("Tight method " + method + " (lossy or unasked-for) from a server told nothing about quality");
        int filter = (method & 4) != 0 ? u8() : 0;
        int[] palette = null;
        if (filter == 1) {
            palette = new int[u8() + 1];
            if (palette.length < 2) throw new IOException("a palette of one colour");
            byte[] p = read(tp * palette.length);
            for (int i = 0; i < palette.length; i++) palette[i] = tpixel(p, tp * i);
            tightPalettes++;
        } else if (filter != 0 && filter != 2) {
            throw new IOException("Tight filter " + filter);
        }
        int rowBytes = palette == null ? w * tp : palette.length == 2 ? (w + 7) / 8 : w;
        byte[] d = data(method & 3, rowBytes * h);
        for (int r = 0; r < h; r++) {
            int o = (y + r) * width + x;
            for (int c = 0; c < w; c++) {
                int rgb;
                if (palette == null) rgb = tpixel(d, r * rowBytes + c * tp);
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
            if (inf.getRemaining() != 0) throw new IOException("Tight: " + inf.getRemaining() + " compressed bytes left over");
        } catch (DataFormatException e) {
            throw new IOException("Tight zlib: " + e.getMessage());
        }
        return d;
    }

    private void cursor(int x, int y, int w, int h) throws IOException {
        int bpp = format.bytes();
        byte[] d = read(w * h * bpp);
        byte[] mask = read((w + 7) / 8 * h);
        int[] rgb = new int[w * h];
        for (int i = 0; i < w * h; i++) rgb[i] = format.rgb(pixel(d, i * bpp, bpp));
        cursor = new Cursor(x, y, w, h, rgb, mask);
    }

    // ---- bytes ----

    /** Sends bytes as they are (tests send malformed messages with it). */
    public void write(byte[] b) throws IOException {
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
    private String string() throws IOException { return new String(read(u32()), StandardCharsets.UTF_8); }

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
