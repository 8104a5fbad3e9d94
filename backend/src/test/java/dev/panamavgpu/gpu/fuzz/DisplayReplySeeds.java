package dev.panamavgpu.gpu.fuzz;

import dev.panamavgpu.gpu.fuzz.DisplayReplyFuzzTest.Op;
import dev.panamavgpu.gpu.protocol.DisplayRequest;
import dev.panamavgpu.vhostuser.fuzz.FuzzBytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/** Seed inputs for {@link DisplayReplyFuzzTest}: QEMU's replies whole and cut, and the broken shapes. */
final class DisplayReplySeeds {
    private DisplayReplySeeds() {}

    static final int DISPLAY_INFO_SIZE = 24 + 16 * 24, EDID_SIZE = 24 + 8 + 1024;

    static byte[] reply(int request, int flags, int announced, byte[] payload) {
        return ByteBuffer.allocate(12 + payload.length).order(ByteOrder.nativeOrder())
                .putInt(request).putInt(flags).putInt(announced).put(payload).array();
    }

    static byte[] features(long bits) {
        return reply(DisplayRequest.GET_PROTOCOL_FEATURES, DisplayRequest.FLAG_REPLY, 8,
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(bits).array());
    }

    static byte[] displayInfo(int w, int h) {
        ByteBuffer p = ByteBuffer.allocate(DISPLAY_INFO_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        p.putInt(0, 0x1101); // RESP_OK_DISPLAY_INFO
        p.putInt(24 + 8, w).putInt(24 + 12, h).putInt(24 + 16, 1); // pmodes[0]: rect, enabled
        return reply(DisplayRequest.GET_DISPLAY_INFO, DisplayRequest.FLAG_REPLY, DISPLAY_INFO_SIZE, p.array());
    }

    static byte[] edid(int size) {
        ByteBuffer p = ByteBuffer.allocate(EDID_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        p.putInt(0, 0x1104).putInt(24, size);
        for (int i = 0; i < Math.min(size, 1024); i++) p.put(32 + i, (byte) i);
        return reply(DisplayRequest.GET_EDID, DisplayRequest.FLAG_REPLY, EDID_SIZE, p.array());
    }

    static final class Script {
        final FuzzBytes.Writer w = new FuzzBytes.Writer();
        Script op(Op op) { w.u8(op.ordinal()); return this; }
        Script displayInfo() { return op(Op.GET_DISPLAY_INFO); }
        Script edid(int scanout) { op(Op.GET_EDID); w.u8(scanout); return this; }
        Script chunk(byte[] b) { op(Op.CHUNK); w.lengthPrefixed(b); return this; }
        /** {@code b} cut into pieces of {@code n} bytes. */
        Script chunks(byte[] b, int n) {
            for (int i = 0; i < b.length; i += n) chunk(java.util.Arrays.copyOfRange(b, i, Math.min(b.length, i + n)));
            return this;
        }
        Script draw() { op(Op.SCANOUT_AND_DAMAGE); w.u8(0).u8(31).u8(31).u8(7).u8(7); return this; }
        byte[] bytes() { return w.toByteArray(); }
    }

    static Map<String, byte[]> all() {
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put("qemu-negotiates-and-answers", new Script().chunk(features(1)).displayInfo().edid(0).draw()
                .chunk(displayInfo(1280, 800)).chunk(features(1)).chunk(edid(128)).chunk(features(1)).bytes());
        s.put("replies-cut-in-small-pieces", new Script().displayInfo().chunks(features(1), 5).chunks(displayInfo(640, 480), 7).bytes());
        s.put("edid-skipped-barrier-answers", new Script().chunk(features(1)).edid(3).chunk(features(1)).bytes());
        s.put("not-a-reply", new Script().chunk(reply(DisplayRequest.GET_DISPLAY_INFO, 0, DISPLAY_INFO_SIZE, new byte[DISPLAY_INFO_SIZE])).bytes());
        s.put("huge-announced-size", new Script().displayInfo().chunk(reply(DisplayRequest.GET_DISPLAY_INFO, DisplayRequest.FLAG_REPLY, 0x7fffffff, new byte[16])).bytes());
        s.put("edid-size-beyond-1024", new Script().chunk(features(1)).edid(0).chunk(edid(5000)).bytes());
        s.put("unexpected-request-type", new Script().chunk(reply(DisplayRequest.UPDATE, DisplayRequest.FLAG_REPLY, 0, new byte[0])).bytes());
        s.put("unsolicited-replies", new Script().chunk(displayInfo(1, 1)).chunk(edid(4)).chunk(reply(DisplayRequest.DMABUF_UPDATE, DisplayRequest.FLAG_REPLY, 0, new byte[0])).bytes());
        return s;
    }
}
