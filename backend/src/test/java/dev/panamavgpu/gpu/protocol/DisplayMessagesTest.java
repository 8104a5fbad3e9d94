package dev.panamavgpu.gpu.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Layout sizes (QEMU 10 hw/display/vhost-user-gpu.c, all QEMU_PACKED) and byte-exact request encoding. */
class DisplayMessagesTest {

    @BeforeAll
    static void littleEndianHost() {
        // Expected bytes below are written little-endian; the socket uses host order.
        assertEquals(ByteOrder.LITTLE_ENDIAN, ByteOrder.nativeOrder());
    }

    @Test
    void layoutSizes() {
        assertEquals(12, DisplayMsgHeader.SIZE);
        assertEquals(12, DisplayCursorPos.SIZE);
        assertEquals(16404, DisplayCursorUpdate.SIZE);
        assertEquals(20, DisplayCursorUpdate.DATA);
        assertEquals(12, DisplayScanout.SIZE);
        assertEquals(20, DisplayUpdate.SIZE);
        assertEquals(40, DisplayDmabufScanout.SIZE);
        assertEquals(36, DisplayDmabufScanout.FD_DRM_FOURCC);
        assertEquals(48, DisplayDmabufScanout2.SIZE);
        assertEquals(40, DisplayDmabufScanout2.MODIFIER);
        assertEquals(4, DisplayEdidRequest.SIZE);
        assertEquals(32, DisplayRequestEncoder.UPDATE_DATA_OFFSET);
    }

    @Test
    void requestCodes() {
        assertEquals(1, DisplayRequest.GET_PROTOCOL_FEATURES);
        assertEquals(8, DisplayRequest.UPDATE);
        assertEquals(10, DisplayRequest.DMABUF_UPDATE);
        assertEquals(11, DisplayRequest.GET_EDID);
        assertEquals(12, DisplayRequest.DMABUF_SCANOUT2);
        assertEquals(0x4, DisplayRequest.FLAG_REPLY);
        assertEquals("DMABUF_SCANOUT2", DisplayRequest.name(12));
        assertEquals("UNKNOWN(4294967295)", DisplayRequest.name(-1));
    }

    private static byte[] run(int capacity, java.util.function.ToIntFunction<MemorySegment> enc) {
        byte[] buf = new byte[capacity];
        Arrays.fill(buf, (byte) 0xAA);
        int n = enc.applyAsInt(MemorySegment.ofArray(buf));
        return Arrays.copyOf(buf, n);
    }

    @Test
    void bareRequests() {
        assertArrayEquals(new Req().u32(1).u32(0).u32(0).bytes(),
                run(64, DisplayRequestEncoder::getProtocolFeatures));
        assertArrayEquals(new Req().u32(3).u32(0).u32(0).bytes(), run(64, DisplayRequestEncoder::getDisplayInfo));
    }

    @Test
    void setProtocolFeatures() {
        assertArrayEquals(new Req().u32(2).u32(0).u32(8).u64(3).bytes(),
                run(64, s -> DisplayRequestEncoder.setProtocolFeatures(s, 3)));
    }

    @Test
    void getEdid() {
        assertArrayEquals(new Req().u32(11).u32(0).u32(4).u32(2).bytes(),
                run(64, s -> DisplayRequestEncoder.getEdid(s, 2)));
    }

    @Test
    void cursorPosAndHide() {
        DisplayCursorPos p = new DisplayCursorPos(1, 640, 0xFFFF_FFFFL);
        assertArrayEquals(new Req().u32(4).u32(0).u32(12).u32(1).u32(640).u32(-1).bytes(),
                run(64, s -> DisplayRequestEncoder.cursorPos(s, p)));
        assertArrayEquals(new Req().u32(5).u32(0).u32(12).u32(1).u32(640).u32(-1).bytes(),
                run(64, s -> DisplayRequestEncoder.cursorPosHide(s, p)));
    }

    @Test
    void cursorUpdateCarriesFullImage() {
        byte[] img = new byte[16384];
        img[0] = 1;
        img[16383] = 2;
        byte[] msg = run(17000, s -> DisplayRequestEncoder.cursorUpdate(
                s, new DisplayCursorPos(0, 10, 20), 3, 4, MemorySegment.ofArray(img)));
        assertEquals(12 + 16404, msg.length);
        assertArrayEquals(new Req().u32(6).u32(0).u32(16404).u32(0).u32(10).u32(20).u32(3).u32(4).bytes(),
                Arrays.copyOf(msg, 32));
        assertEquals(1, msg[32]);
        assertEquals(2, msg[msg.length - 1]);
        assertThrows(IllegalArgumentException.class, () -> DisplayRequestEncoder.cursorUpdate(
                MemorySegment.ofArray(new byte[17000]), new DisplayCursorPos(0, 0, 0), 0, 0,
                MemorySegment.ofArray(new byte[100])));
    }

    @Test
    void scanout() {
        assertArrayEquals(new Req().u32(7).u32(0).u32(12).u32(0).u32(1280).u32(800).bytes(),
                run(64, s -> DisplayRequestEncoder.scanout(s, new DisplayScanout(0, 1280, 800))));
        assertArrayEquals(new Req().u32(7).u32(0).u32(12).u32(3).u32(0).u32(0).bytes(),
                run(64, s -> DisplayRequestEncoder.scanout(s, DisplayScanout.disable(3))));
    }

    @Test
    void updateHeaderAnnouncesPixelBytes() {
        DisplayUpdate u = new DisplayUpdate(0, 8, 16, 128, 1);
        byte[] buf = new byte[32 + 512];
        long total = DisplayRequestEncoder.updateHeader(MemorySegment.ofArray(buf), u);
        // Matches the observed contrib message: 532-byte payload for 128 px of cursor-blink damage.
        assertEquals(12 + 532, total);
        assertArrayEquals(new Req().u32(8).u32(0).u32(532).u32(0).u32(8).u32(16).u32(128).u32(1).bytes(),
                Arrays.copyOf(buf, 32));
        assertEquals(total, DisplayRequestEncoder.updateMessageSize(u));
    }

    @Test
    void updateWithPixels() {
        DisplayUpdate u = new DisplayUpdate(1, 0, 0, 2, 2);
        byte[] px = new byte[16];
        Arrays.fill(px, (byte) 7);
        byte[] buf = new byte[48];
        assertEquals(48, DisplayRequestEncoder.update(MemorySegment.ofArray(buf), u, MemorySegment.ofArray(px)));
        assertEquals(7, buf[47]);
        assertThrows(IllegalArgumentException.class, () -> DisplayRequestEncoder.update(
                MemorySegment.ofArray(buf), u, MemorySegment.ofArray(new byte[15])));
    }

    @Test
    void updateRefusesBufferWithoutRoomForPixels() {
        byte[] buf = new byte[32 + 511];
        Arrays.fill(buf, (byte) 0xAA);
        assertThrows(IndexOutOfBoundsException.class, () -> DisplayRequestEncoder.updateHeader(
                MemorySegment.ofArray(buf), new DisplayUpdate(0, 0, 0, 128, 1)));
        assertEquals((byte) 0xAA, buf[0], "nothing written");
    }

    @Test
    void updatePayloadMustFitU32() {
        DisplayUpdate huge = new DisplayUpdate(0, 0, 0, 0x8000, 0x8000);
        assertThrows(IllegalArgumentException.class,
                () -> DisplayRequestEncoder.updateHeader(MemorySegment.ofArray(new byte[64]), huge));
    }

    @Test
    void dmabufScanout() {
        DisplayDmabufScanout d = new DisplayDmabufScanout(0, 1, 2, 1280, 800, 1280, 800, 5120, 1,
                PixelFormat.B8G8R8X8_UNORM.drmFourcc());
        Req want = new Req().u32(9).u32(0).u32(40).u32(0).u32(1).u32(2).u32(1280).u32(800).u32(1280).u32(800)
                .u32(5120).u32(1).u32(0x34325258);
        assertArrayEquals(want.bytes(), run(64, s -> DisplayRequestEncoder.dmabufScanout(s, d)));
        assertEquals(d, DisplayDmabufScanout.read(MemorySegment.ofArray(want.bytes()), 12));
    }

    @Test
    void dmabufScanout2AppendsModifier() {
        byte[] msg = run(64, s -> DisplayRequestEncoder.dmabufScanout2(s, DisplayDmabufScanout.disable(0), -1L));
        assertEquals(60, msg.length);
        assertEquals(12, Req.u32At(msg, 0));
        assertEquals(48, Req.u32At(msg, 8));
        assertEquals(-1L, Req.u64At(msg, 52));
    }

    @Test
    void dmabufUpdate() {
        assertArrayEquals(new Req().u32(10).u32(0).u32(20).u32(0).u32(1).u32(2).u32(3).u32(4).bytes(),
                run(64, s -> DisplayRequestEncoder.dmabufUpdate(s, new DisplayUpdate(0, 1, 2, 3, 4))));
    }

    @Test
    void tooSmallBufferThrowsBeforeWriting() {
        byte[] buf = new byte[23];
        Arrays.fill(buf, (byte) 0xAA);
        assertThrows(IndexOutOfBoundsException.class,
                () -> DisplayRequestEncoder.scanout(MemorySegment.ofArray(buf), new DisplayScanout(0, 1, 1)));
        assertEquals((byte) 0xAA, buf[0]);
    }

    @Test
    void headerRoundTrip() {
        byte[] b = new byte[12];
        new DisplayMsgHeader(3, 4, 0xFFFF_FFFFL).write(MemorySegment.ofArray(b), 0);
        DisplayMsgHeader h = DisplayMsgHeader.read(MemorySegment.ofArray(b), 0);
        assertEquals(0xFFFF_FFFFL, h.size());
        assertEquals(true, h.isReply());
    }
}
