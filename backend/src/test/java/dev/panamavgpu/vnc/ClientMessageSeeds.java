package dev.panamavgpu.vnc;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Seed inputs for {@link ClientMessageFuzzTest}: what real viewers send, and the shapes at and past every bound. */
final class ClientMessageSeeds {
    private ClientMessageSeeds() {}

    static byte[] pixelFormat(int bpp, int depth, int big, int tc, int rmax, int gmax, int bmax, int rs, int gs, int bs) {
        return ByteBuffer.allocate(20).put((byte) 0).put(new byte[3]).put((byte) bpp).put((byte) depth).put((byte) big).put((byte) tc)
                .putShort((short) rmax).putShort((short) gmax).putShort((short) bmax).put((byte) rs).put((byte) gs).put((byte) bs)
                .put(new byte[3]).array();
    }

    static byte[] encodings(int... e) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * e.length).put((byte) 2).put((byte) 0).putShort((short) e.length);
        for (int x : e) b.putInt(x);
        return b.array();
    }

    static byte[] request(int inc, int x, int y, int w, int h) {
        return ByteBuffer.allocate(10).put((byte) 3).put((byte) inc).putShort((short) x).putShort((short) y).putShort((short) w).putShort((short) h).array();
    }

    static byte[] cutText(int announced, int actual) {
        return ByteBuffer.allocate(8 + actual).put((byte) 6).put(new byte[3]).putInt(announced).array();
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) n += p.length;
        ByteBuffer b = ByteBuffer.allocate(n);
        for (byte[] p : parts) b.put(p);
        return b.array();
    }

    static Map<String, byte[]> all() {
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put("novnc-connects", concat(pixelFormat(32, 24, 0, 1, 255, 255, 255, 0, 8, 16),
                encodings(1, 7, -260, 5, 2, 0, -26, -254, -223, -224, -258, -308, -309, -312, -313, -307, 0xC0A1E5CE, -239),
                request(0, 0, 0, 1280, 800), request(1, 0, 0, 1280, 800)));
        s.put("input-and-clipboard", concat(
                ByteBuffer.allocate(8).put((byte) 4).put((byte) 1).putShort((short) 0).putInt(0xff0d).array(),
                ByteBuffer.allocate(6).put((byte) 5).put((byte) 0x85).putShort((short) 640).putShort((short) 400).array(),
                ByteBuffer.allocate(12).put((byte) 255).put((byte) 0).putShort((short) 1).putInt(0x61).putInt(0x1e).array(),
                cutText(5, 5)));
        s.put("sixteen-bit-big-endian-and-8-bit", concat(pixelFormat(16, 16, 1, 1, 31, 63, 31, 11, 5, 0),
                pixelFormat(8, 8, 0, 1, 7, 7, 3, 0, 3, 6), request(0, 0, 0, 64, 64)));
        s.put("formats-not-served", concat(pixelFormat(24, 24, 0, 1, 255, 255, 255, 16, 8, 0)));
        s.put("colour-map-format", concat(pixelFormat(8, 8, 0, 0, 0, 0, 0, 0, 0, 0)));
        s.put("cut-text-at-its-bound-cut-short", cutText(ClientMessageDecoder.MAX_CUT_TEXT, 100));
        s.put("cut-text-past-its-bound", cutText(ClientMessageDecoder.MAX_CUT_TEXT + 1, 0));
        s.put("cut-text-negative-extended-clipboard", cutText(-12, 12));
        s.put("encodings-past-their-bound", ByteBuffer.allocate(4).put((byte) 2).put((byte) 0).putShort((short) 0xffff).array());
        s.put("fence-desktop-size-continuous", concat(
                ByteBuffer.allocate(11).put((byte) 248).put(new byte[3]).putInt(0x80000001).put((byte) 2).put(new byte[2]).array(),
                ByteBuffer.allocate(8 + 16).put((byte) 251).put((byte) 0).putShort((short) 1920).putShort((short) 1080).put((byte) 1).array(),
                new byte[] {(byte) 150, 1, 0, 0, 0, 0, 5, 0, 3, 32}));
        s.put("fence-payload-too-long", ByteBuffer.allocate(9).put((byte) 248).put(new byte[3]).putInt(1).put((byte) 200).array());
        s.put("unknown-type", new byte[] {7, 0, 0, 0});
        s.put("qemu-audio-subtype", new byte[] {(byte) 255, 1, 0, 0});
        return s;
    }
}
