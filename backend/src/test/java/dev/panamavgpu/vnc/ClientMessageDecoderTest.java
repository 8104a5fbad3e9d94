package dev.panamavgpu.vnc;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.vnc.ClientMessageDecoder.Result;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Every client message decodes from its exact bytes, asks for more when cut, and lengths are bounded before allocation. */
class ClientMessageDecoderTest {
    static Result decode(byte[] b) { return ClientMessageDecoder.decode(MemorySegment.ofArray(b)); }

    static ClientMessage whole(byte[] b) {
        // every cut asks for more, never for less than it has, and never decodes a different message
        for (int n = 0; n < b.length; n++) {
            Result r = decode(java.util.Arrays.copyOf(b, n));
            Result.NeedMore more = assertInstanceOf(Result.NeedMore.class, r, "cut at " + n);
            assertTrue(more.length() > n && more.length() <= b.length, "cut at " + n + " asks for " + more.length());
        }
        Result.Message m = assertInstanceOf(Result.Message.class, decode(b));
        assertEquals(b.length, m.length());
        return m.message();
    }

    @Test
    void setPixelFormat() {
        byte[] b = ByteBuffer.allocate(20).put((byte) 0).put(new byte[3]).put((byte) 32).put((byte) 24).put((byte) 0).put((byte) 1)
                .putShort((short) 255).putShort((short) 255).putShort((short) 255).put((byte) 0).put((byte) 8).put((byte) 16).array();
        var m = assertInstanceOf(ClientMessage.SetPixelFormat.class, whole(b));
        assertEquals(new RfbPixelFormat(32, 24, false, true, 255, 255, 255, 0, 8, 16), m.format());
        assertNull(m.format().problem());
    }

    @Test
    void setEncodingsAndItsBound() {
        byte[] b = ByteBuffer.allocate(12).put((byte) 2).put((byte) 0).putShort((short) 2).putInt(7).putInt(-239).array();
        var m = assertInstanceOf(ClientMessage.SetEncodings.class, whole(b));
        assertArrayEquals(new int[] {7, -239}, m.encodings());
        byte[] tooMany = ByteBuffer.allocate(4).put((byte) 2).put((byte) 0).putShort((short) 1025).array();
        assertInstanceOf(Result.Malformed.class, decode(tooMany), "refused from the header alone");
    }

    @Test
    void updateRequestKeyPointer() {
        assertEquals(new ClientMessage.UpdateRequest(true, 1, 2, 65535, 4),
                whole(ByteBuffer.allocate(10).put((byte) 3).put((byte) 1).putShort((short) 1).putShort((short) 2).putShort((short) -1).putShort((short) 4).array()));
        assertEquals(new ClientMessage.KeyEvent(true, 0xff0d), whole(ByteBuffer.allocate(8).put((byte) 4).put((byte) 1).putShort((short) 0).putInt(0xff0d).array()));
        assertEquals(new ClientMessage.PointerEvent(0x85, 640, 400), whole(ByteBuffer.allocate(6).put((byte) 5).put((byte) 0x85).putShort((short) 640).putShort((short) 400).array()));
        assertEquals(new ClientMessage.QemuKeyEvent(true, 0x61, 0x1e),
                whole(ByteBuffer.allocate(12).put((byte) 255).put((byte) 0).putShort((short) 1).putInt(0x61).putInt(0x1e).array()));
    }

    @Test
    void cutTextIsBoundedBeforeAnythingIsAllocated() {
        var m = assertInstanceOf(ClientMessage.CutText.class, whole(ByteBuffer.allocate(11).put((byte) 6).put(new byte[3]).putInt(3).put("abc".getBytes()).array()));
        assertArrayEquals("abc".getBytes(), m.latin1());
        assertInstanceOf(Result.NeedMore.class, decode(ByteBuffer.allocate(8).put((byte) 6).put(new byte[3]).putInt(ClientMessageDecoder.MAX_CUT_TEXT).array()));
        assertInstanceOf(Result.Malformed.class, decode(ByteBuffer.allocate(8).put((byte) 6).put(new byte[3]).putInt(ClientMessageDecoder.MAX_CUT_TEXT + 1).array()));
        assertInstanceOf(Result.Malformed.class, decode(ByteBuffer.allocate(8).put((byte) 6).put(new byte[3]).putInt(-8).array()),
                "Extended Clipboard is never offered");
        assertInstanceOf(Result.Malformed.class, decode(ByteBuffer.allocate(8).put((byte) 6).put(new byte[3]).putInt(0xffffffff).array()));
    }

    @Test
    void fenceDesktopSizeContinuousUpdates() {
        assertInstanceOf(ClientMessage.Fence.class, whole(ByteBuffer.allocate(11).put((byte) 248).put(new byte[3]).putInt(1).put((byte) 2).put(new byte[2]).array()));
        assertInstanceOf(Result.Malformed.class, decode(ByteBuffer.allocate(9).put((byte) 248).put(new byte[3]).putInt(1).put((byte) 65).array()));
        var s = assertInstanceOf(ClientMessage.SetDesktopSize.class,
                whole(ByteBuffer.allocate(8 + 32).put((byte) 251).put((byte) 0).putShort((short) 800).putShort((short) 600).put((byte) 2).put((byte) 0).array()));
        assertEquals(2, s.screens());
        assertInstanceOf(ClientMessage.ContinuousUpdates.class, whole(new byte[] {(byte) 150, 1, 0, 0, 0, 0, 1, 0, 1, 0}));
    }

    @Test
    void unknownTypesAndQemuSubtypesAreFatal() {
        for (int t : new int[] {1, 7, 127, 149, 252, 254})
            assertInstanceOf(Result.Malformed.class, decode(new byte[] {(byte) t, 0, 0, 0}), "type " + t);
        assertInstanceOf(Result.Malformed.class, decode(new byte[] {(byte) 255, 1, 0, 0}), "QEMU audio is never offered");
    }

    @Test
    void pixelFormatsThatCannotBeServed() {
        assertNotNull(new RfbPixelFormat(24, 24, false, true, 255, 255, 255, 16, 8, 0).problem());
        assertNotNull(new RfbPixelFormat(8, 8, false, false, 7, 7, 3, 0, 3, 6).problem(), "colour map");
        assertNotNull(new RfbPixelFormat(16, 16, false, true, 31, 63, 31, 12, 5, 0).problem(), "red does not fit 16 bits");
        assertNotNull(new RfbPixelFormat(32, 24, false, true, 255, 255, 255, 250, 8, 0).problem(), "a shift past the pixel");
        assertNotNull(new RfbPixelFormat(32, 24, false, true, 0, 255, 255, 16, 8, 0).problem(), "max 0");
        assertNull(new RfbPixelFormat(8, 8, false, true, 7, 7, 3, 0, 3, 6).problem(), "8-bit true colour (3:3:2)");
        assertNull(RfbPixelFormat.NATIVE.problem());
    }
}
