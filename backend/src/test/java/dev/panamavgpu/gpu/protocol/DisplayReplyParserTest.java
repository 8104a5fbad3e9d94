package dev.panamavgpu.gpu.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamavgpu.gpu.protocol.DisplayReply.Kind;
import dev.panamavgpu.gpu.protocol.DisplayReply.ProtocolError;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DisplayReplyParserTest {
    private static final int REPLY = DisplayRequest.FLAG_REPLY;

    private static byte[] featuresReply(long features) {
        return new Req().u32(1).u32(REPLY).u32(8).u64(features).bytes();
    }

    private static byte[] displayInfoReply() {
        Req r = new Req().u32(3).u32(REPLY).u32(408);
        r.u32(VirtioGpuType.RESP_OK_DISPLAY_INFO).zeros(20);
        r.u32(0).u32(0).u32(1280).u32(800).u32(1).u32(0);
        r.zeros(15 * 24);
        return r.bytes();
    }

    private static byte[] edidReply(int size) {
        Req r = new Req().u32(11).u32(REPLY).u32(1056);
        r.u32(VirtioGpuType.RESP_OK_EDID).zeros(20).u32(size).u32(0);
        for (int i = 0; i < 1024; i++) {
            r.u8(i < size ? i : 0xEE);
        }
        return r.bytes();
    }

    private static byte[] dmabufDone() {
        return new Req().u32(10).u32(REPLY).u32(0).bytes();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static List<DisplayReply> feed(DisplayReplyParser p, byte[] bytes) {
        return p.feed(MemorySegment.ofArray(bytes));
    }

    @Test
    void protocolFeatures() {
        List<DisplayReply> r = feed(new DisplayReplyParser(), featuresReply(3));
        DisplayReply.ProtocolFeatures f = assertInstanceOf(DisplayReply.ProtocolFeatures.class, r.getFirst());
        assertEquals(3, f.features());
        assertTrue(f.has(DisplayRequest.PROTOCOL_F_EDID));
        assertTrue(f.has(DisplayRequest.PROTOCOL_F_DMABUF2));
    }

    @Test
    void displayInfo() {
        DisplayReply.DisplayInfo d = assertInstanceOf(DisplayReply.DisplayInfo.class,
                feed(new DisplayReplyParser(), displayInfoReply()).getFirst());
        assertEquals(16, d.displays().size());
        assertEquals(DisplayInfoEntry.enabled(1280, 800), d.displays().getFirst());
        assertEquals(DisplayInfoEntry.DISABLED, d.displays().get(15));
    }

    @Test
    void edidKeepsOnlySizeBytes() {
        DisplayReply.Edid e = assertInstanceOf(DisplayReply.Edid.class,
                feed(new DisplayReplyParser(), edidReply(256)).getFirst());
        assertEquals(256, e.edid().length);
        assertEquals((byte) 255, e.edid()[255]);
        DisplayReply.Edid full = (DisplayReply.Edid) feed(new DisplayReplyParser(), edidReply(1024)).getFirst();
        assertEquals(1024, full.edid().length);
    }

    @Test
    void edidSizeAbove1024IsAnError() {
        ProtocolError e = assertInstanceOf(ProtocolError.class,
                feed(new DisplayReplyParser(), edidReply(1025)).getFirst());
        assertEquals(Kind.BAD_PAYLOAD, e.kind());
    }

    @Test
    void dmabufUpdateDone() {
        assertEquals(List.of(new DisplayReply.DmabufUpdateDone()), feed(new DisplayReplyParser(), dmabufDone()));
    }

    @Test
    void severalRepliesInOneChunk() {
        List<DisplayReply> r = feed(new DisplayReplyParser(),
                concat(dmabufDone(), featuresReply(1), edidReply(128), dmabufDone(), displayInfoReply()));
        assertEquals(5, r.size());
        assertInstanceOf(DisplayReply.DmabufUpdateDone.class, r.get(0));
        assertInstanceOf(DisplayReply.ProtocolFeatures.class, r.get(1));
        assertInstanceOf(DisplayReply.Edid.class, r.get(2));
        assertInstanceOf(DisplayReply.DmabufUpdateDone.class, r.get(3));
        assertInstanceOf(DisplayReply.DisplayInfo.class, r.get(4));
    }

    @Test
    void byteByByteGivesTheSameReplies() {
        byte[] stream = concat(featuresReply(3), edidReply(128), dmabufDone(), displayInfoReply());
        DisplayReplyParser p = new DisplayReplyParser();
        List<DisplayReply> got = new ArrayList<>();
        for (byte b : stream) {
            got.addAll(feed(p, new byte[] {b}));
        }
        assertEquals(feed(new DisplayReplyParser(), stream), got);
        assertTrue(p.isIdle());
    }

    @Test
    void partialMessageWaitsForMore() {
        DisplayReplyParser p = new DisplayReplyParser();
        byte[] msg = edidReply(10);
        assertEquals(List.of(), feed(p, java.util.Arrays.copyOf(msg, 500)));
        assertTrue(!p.isIdle());
        List<DisplayReply> r = feed(p, java.util.Arrays.copyOfRange(msg, 500, msg.length));
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, ((DisplayReply.Edid) r.getFirst()).edid());
        assertTrue(p.isIdle());
    }

    @Test
    void missingReplyFlag() {
        byte[] msg = new Req().u32(1).u32(0).u32(8).u64(3).bytes();
        assertEquals(new ProtocolError(Kind.NOT_A_REPLY, 1, 8), feed(new DisplayReplyParser(), msg).getFirst());
    }

    @Test
    void replyToARequestWithoutReply() {
        for (int req : new int[] {0, 2, 4, 5, 6, 7, 8, 9, 12, 13, -1}) {
            byte[] msg = new Req().u32(req).u32(REPLY).u32(0).bytes();
            ProtocolError e = (ProtocolError) feed(new DisplayReplyParser(), msg).getFirst();
            assertEquals(Kind.UNEXPECTED_REQUEST, e.kind(), "request " + req);
        }
    }

    @Test
    void wrongSizes() {
        long[][] cases = {{1, 4}, {1, 16}, {3, 407}, {3, 409}, {11, 1055}, {11, 1057}, {10, 1}};
        for (long[] c : cases) {
            byte[] msg = new Req().u32(c[0]).u32(REPLY).u32(c[1]).bytes();
            assertEquals(new ProtocolError(Kind.BAD_SIZE, (int) c[0], c[1]),
                    feed(new DisplayReplyParser(), msg).getFirst());
        }
    }

    @Test
    void hugeAnnouncedSizeIsRejectedFromTheHeaderAlone() {
        // Only the 12 header bytes exist: the parser must decide without waiting for (or allocating) 4 GiB.
        byte[] msg = new Req().u32(3).u32(REPLY).u32(0xFFFF_FFFFL).bytes();
        DisplayReplyParser p = new DisplayReplyParser();
        assertEquals(List.of(new ProtocolError(Kind.BAD_SIZE, 3, 0xFFFF_FFFFL)), feed(p, msg));
    }

    @Test
    void repliesBeforeAnErrorAreKeptAndLaterInputIgnored() {
        DisplayReplyParser p = new DisplayReplyParser();
        byte[] bad = new Req().u32(8).u32(REPLY).u32(0).bytes();
        List<DisplayReply> r = feed(p, concat(featuresReply(1), bad, dmabufDone()));
        assertEquals(2, r.size());
        assertInstanceOf(DisplayReply.ProtocolFeatures.class, r.get(0));
        assertEquals(Kind.UNEXPECTED_REQUEST, ((ProtocolError) r.get(1)).kind());
        assertEquals(r.get(1), p.failure());
        assertEquals(List.of(), feed(p, dmabufDone()));
        p.reset();
        assertNull(p.failure());
        assertEquals(List.of(new DisplayReply.DmabufUpdateDone()), feed(p, dmabufDone()));
    }

    @Test
    void replyPayloadSizes() {
        assertEquals(8, DisplayReplyParser.replyPayloadSize(DisplayRequest.GET_PROTOCOL_FEATURES));
        assertEquals(408, DisplayReplyParser.replyPayloadSize(DisplayRequest.GET_DISPLAY_INFO));
        assertEquals(1056, DisplayReplyParser.replyPayloadSize(DisplayRequest.GET_EDID));
        assertEquals(0, DisplayReplyParser.replyPayloadSize(DisplayRequest.DMABUF_UPDATE));
        assertEquals(-1, DisplayReplyParser.replyPayloadSize(DisplayRequest.UPDATE));
    }

    @Test
    void emptyChunk() {
        assertEquals(List.of(), new DisplayReplyParser().feed(MemorySegment.NULL));
    }
}
