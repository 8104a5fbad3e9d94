package dev.panamavgpu.testguest.vnc;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * A small RFB viewer for tests, written from RFC 6143 and the Tight description alone (no server
 * code): handshake with None or VNC authentication, SetPixelFormat, SetEncodings, update requests,
 * and an update reader that keeps a framebuffer of 0xRRGGBB ints from Raw and Tight (Fill, Basic with
 * the copy filter) rectangles, DesktopSize, ExtendedDesktopSize, Cursor and LastRect.
 */
final class RfbTestClient implements AutoCloseable {
    /** A pixel format as the client asks for it. */
    record Format(int bpp, int depth, boolean bigEndian, int rmax, int gmax, int bmax, int rshift, int gshift, int bshift) {
        static final Format BGRX = new Format(32, 24, false, 255, 255, 255, 16, 8, 0);
        /** noVNC's: R, G, B, X in memory. */
        static final Format RGBX = new Format(32, 24, false, 255, 255, 255, 0, 8, 16);
        static final Format RGB565 = new Format(16, 16, false, 31, 63, 31, 11, 5, 0);
        static final Format RGB565_BE = new Format(16, 16, true, 31, 63, 31, 11, 5, 0);

        int bytes() { return bpp / 8; }

        /** The 0xRRGGBB colour a pixel value stands for, each channel scaled back to 8 bits (nearest). */
        int rgb(int v) {
            return ch(v >>> rshift & rmax, rmax) << 16 | ch(v >>> gshift & gmax, gmax) << 8 | ch(v >>> bshift & bmax, bmax);
        }

        private static int ch(int c, int max) { return (c * 255 + max / 2) / max; }

        /** What the server should send for colour 0xRRGGBB (nearest in each channel). */
        int value(int rgb) {
            return sc(rgb >>> 16 & 255, rmax) << rshift | sc(rgb >>> 8 & 255, gmax) << gshift | sc(rgb & 255, bmax) << bshift;
        }

        private static int sc(int c, int max) { return (c * max + 127) / 255; }

        /** What a colour looks like after a round trip through this format. */
        int quantize(int rgb) { return rgb(value(rgb)); }
    }

    record Cursor(int hotX, int hotY, int width, int height, int[] rgb, byte[] mask) {}

    private final SocketChannel ch;
    private ByteBuffer in = ByteBuffer.allocate(1 << 16).flip();
    private final Inflater[] zlib = {new Inflater(), new Inflater(), new Inflater(), new Inflater()};
    int width, height;
    int[] fb;
    Format format = Format.BGRX;
    String name;
    Cursor cursor;
    int updates, desktopSizes, extendedDesktopSizes, lastRects, minor, tightPalettes;
    long bytesRead;
    final List<Integer> encodingsSeen = new ArrayList<>();
    int lastEdsReason = -1, lastEdsStatus = -1;

    private RfbTestClient(SocketChannel ch) {
        this.ch = ch;
    }

    static RfbTestClient connect(SocketAddress a) throws IOException {
        SocketChannel c = a instanceof UnixDomainSocketAddress ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        c.connect(a);
        return new RfbTestClient(c);
    }

    SocketChannel channel() { return ch; }

    /** The whole handshake, RFB 3.{minor}; null password: security None. Throws with the server's reason on refusal. */
    RfbTestClient handshake(int minor, byte[] password) throws IOException {
        this.minor = minor;
        String v = new String(read(12), StandardCharsets.US_ASCII);
        if (!v.equals("RFB 003.008\n")) throw new IOException("server version " + v);
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
            write(new byte[] {(byte) type});
        }
        if (type == 2) {
            if (password == null) throw new IOException("the server wants a password");
            write(des(password, read(16)));
            int result = u32();
            if (result != 0) throw new IOException("authentication failed" + (minor == 8 ? ": " + string() : ""));
        } else if (type == 1) {
            if (minor == 8 && u32() != 0) throw new IOException("None refused: " + string());
        } else {
            throw new IOException("security type " + type);
        }
        write(new byte[] {1}); // shared
        width = u16();
        height = u16();
        read(16); // the server's format; we set ours below when asked
        name = new String(read(u32()), StandardCharsets.UTF_8);
        fb = new int[width * height];
        return this;
    }

    /** DES of the challenge with the password's first 8 bytes, each bit-reversed (RFB's key quirk). */
    static byte[] des(byte[] password, byte[] challenge) {
        byte[] key = new byte[8];
        for (int i = 0; i < 8 && i < password.length; i++) {
            int b = password[i] & 0xff, r = 0;
            for (int bit = 0; bit < 8; bit++) if ((b & (1 << bit)) != 0) r |= 0x80 >> bit;
            key[i] = (byte) r;
        }
        try {
            Cipher c = Cipher.getInstance("DES/ECB/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DES"));
            return c.doFinal(challenge);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    RfbTestClient setPixelFormat(Format f) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(20);
        b.put((byte) 0).put(new byte[3]).put((byte) f.bpp).put((byte) f.depth).put((byte) (f.bigEndian ? 1 : 0)).put((byte) 1)
                .putShort((short) f.rmax).putShort((short) f.gmax).putShort((short) f.bmax)
                .put((byte) f.rshift).put((byte) f.gshift).put((byte) f.bshift);
        write(b.array());
        format = f;
        return this;
    }

    RfbTestClient setEncodings(int... e) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * e.length);
        b.put((byte) 2).put((byte) 0).putShort((short) e.length);
        for (int x : e) b.putInt(x);
        write(b.array());
        return this;
    }

    RfbTestClient request(boolean incremental, int x, int y, int w, int h) throws IOException {
        write(ByteBuffer.allocate(10).put((byte) 3).put((byte) (incremental ? 1 : 0)).putShort((short) x).putShort((short) y)
                .putShort((short) w).putShort((short) h).array());
        return this;
    }

    RfbTestClient requestAll(boolean incremental) throws IOException { return request(incremental, 0, 0, width, height); }

    void write(byte[] b) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b);
        while (bb.hasRemaining()) ch.write(bb);
    }

    /** Reads one server message; returns its type (0 = an update, applied to the framebuffer). */
    int readMessage() throws IOException {
        int type = u8();
        switch (type) {
            case 0 -> readUpdate();
            case 2 -> { } // bell
            case 3 -> { read(3); read(u32()); }
            default -> throw new IOException("unexpected server message " + type);
        }
        return type;
    }

    private void readUpdate() throws IOException {
        u8();
        int n = u16();
        for (int i = 0; n == 0xffff || i < n; i++) {
            int x = u16(), y = u16(), w = u16(), h = u16(), enc = u32();
            encodingsSeen.add(enc);
            switch (enc) {
                case 0 -> raw(x, y, w, h);
                case 7 -> tight(x, y, w, h);
                case -223 -> { desktopSizes++; resize(w, h); }
                case -308 -> {
                    extendedDesktopSizes++;
                    lastEdsReason = x;
                    lastEdsStatus = y;
                    int screens = u8();
                    read(3);
                    read(16 * screens);
                    resize(w, h);
                }
                case -239 -> cursor(x, y, w, h);
                case -224 -> { lastRects++; n = 0; i = 0; } // the end; leaves the loop
                default -> throw new IOException("unexpected encoding " + enc);
            }
            if (enc == -224) break;
        }
        updates++;
    }

    private void resize(int w, int h) {
        width = w;
        height = h;
        fb = new int[w * h];
    }

    private void checkRect(int x, int y, int w, int h) throws IOException {
        if (x + w > width || y + h > height) throw new IOException("rectangle " + w + "x" + h + "+" + x + "+" + y + " outside " + width + "x" + height);
    }

    private int pixel(byte[] b, int at, int bytes) {
        int v = 0;
        if (format.bigEndian) for (int k = 0; k < bytes; k++) v = v << 8 | (b[at + k] & 0xff);
        else for (int k = bytes - 1; k >= 0; k--) v = v << 8 | (b[at + k] & 0xff);
        return v;
    }

    private void raw(int x, int y, int w, int h) throws IOException {
        checkRect(x, y, w, h);
        int bpp = format.bytes();
        byte[] d = read(w * h * bpp);
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++) fb[(y + r) * width + x + c] = format.rgb(pixel(d, (r * w + c) * bpp, bpp));
    }

    private boolean tight24() {
        return format.bpp == 32 && format.depth == 24 && format.rmax == 255 && format.gmax == 255 && format.bmax == 255;
    }

    private int tpixel(byte[] d, int at) {
        if (tight24()) return (d[at] & 0xff) << 16 | (d[at + 1] & 0xff) << 8 | (d[at + 2] & 0xff); // R, G, B
        return format.rgb(pixel(d, at, format.bytes()));
    }

    private void tight(int x, int y, int w, int h) throws IOException {
        checkRect(x, y, w, h);
        if (w > 2048) throw new IOException("Tight rectangle " + w + " wide");
        int control = u8();
        for (int s = 0; s < 4; s++) if ((control & (1 << s)) != 0) zlib[s].reset();
        int method = control >> 4;
        int tp = tight24() ? 3 : format.bytes();
        if (method == 8) { // Fill
            int rgb = tpixel(read(tp), 0);
            for (int r = 0; r < h; r++) java.util.Arrays.fill(fb, (y + r) * width + x, (y + r) * width + x + w, rgb);
            return;
        }
        if (method > 7) throw new IOException("Tight method " + method + " not expected from a lossless server");
        int stream = method & 3;
        int[] palette = null;
        if ((method & 4) != 0) {
            int filter = u8();
            if (filter != 1) throw new IOException("Tight filter " + filter + " not expected");
            palette = new int[u8() + 1];
            if (palette.length < 2) throw new IOException("a palette of one colour");
            for (int i = 0; i < palette.length; i++) palette[i] = tpixel(read(tp), 0);
            tightPalettes++;
        }
        int rowBytes = palette == null ? w * tp : palette.length == 2 ? (w + 7) / 8 : w;
        int len = rowBytes * h;
        byte[] d;
        if (len < 12) {
            d = read(len);
        } else {
            int clen = compactLength();
            byte[] z = read(clen);
            d = new byte[len];
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
        }
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++) {
                int rgb;
                if (palette == null) rgb = tpixel(d, (r * w + c) * tp);
                else if (palette.length == 2) rgb = palette[(d[r * rowBytes + c / 8] >> (7 - c % 8)) & 1];
                else {
                    int k = d[r * rowBytes + c] & 0xff;
                    if (k >= palette.length) throw new IOException("palette index " + k + " of " + palette.length);
                    rgb = palette[k];
                }
                fb[(y + r) * width + x + c] = rgb;
            }
    }

    private int compactLength() throws IOException {
        int b = u8(), len = b & 0x7f;
        if ((b & 0x80) != 0) {
            b = u8();
            len |= (b & 0x7f) << 7;
            if ((b & 0x80) != 0) len |= u8() << 14;
        }
        return len;
    }

    private void cursor(int x, int y, int w, int h) throws IOException {
        int bpp = format.bytes();
        byte[] d = read(w * h * bpp);
        byte[] mask = read((w + 7) / 8 * h);
        int[] rgb = new int[w * h];
        for (int i = 0; i < w * h; i++) rgb[i] = format.rgb(pixel(d, i * bpp, bpp));
        cursor = new Cursor(x, y, w, h, rgb, mask);
    }

    int rgbAt(int x, int y) { return fb[y * width + x]; }

    // ---- bytes ----

    private byte[] read(int n) throws IOException {
        byte[] b = new byte[n];
        int got = 0;
        while (got < n) {
            if (!in.hasRemaining()) {
                in.clear();
                if (ch.read(in) < 0) {
                    in.flip();
                    throw new EOFException("server closed the connection");
                }
                in.flip();
            }
            int k = Math.min(n - got, in.remaining());
            in.get(b, got, k);
            got += k;
            bytesRead += k;
        }
        return b;
    }

    int u8() throws IOException { return read(1)[0] & 0xff; }
    int u16() throws IOException { return ByteBuffer.wrap(read(2)).getShort() & 0xffff; }
    int u32() throws IOException { return ByteBuffer.wrap(read(4)).getInt(); }
    private String string() throws IOException { return new String(read(u32()), StandardCharsets.UTF_8); }

    @Override
    public void close() throws IOException {
        for (Inflater i : zlib) i.end();
        ch.close();
    }
}
