package dev.panamavgpu.gpu.display;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class OutgoingMessageTest {
    private static MemorySegment bytes(Arena a, int from, int n) {
        MemorySegment s = a.allocate(n);
        for (int i = 0; i < n; i++) s.set(ValueLayout.JAVA_BYTE, i, (byte) (from + i));
        return s;
    }

    private static byte[] concat(MemorySegment[] v) {
        long n = 0;
        for (MemorySegment s : v) n += s.byteSize();
        byte[] b = new byte[(int) n];
        int at = 0;
        for (MemorySegment s : v) {
            MemorySegment.copy(s, ValueLayout.JAVA_BYTE, 0, b, at, (int) s.byteSize());
            at += (int) s.byteSize();
        }
        return b;
    }

    @Test
    void partialSendsWalkThePiecesInOrderAndEndEmpty() {
        try (Arena a = Arena.ofConfined()) {
            OutgoingMessage m = new OutgoingMessage();
            assertTrue(m.isEmpty());
            m.start(bytes(a, 0, 3), bytes(a, 3, 5), bytes(a, 8, 4));
            assertEquals(12, m.remaining());
            m.advance(4); // all of the first piece and one byte of the second
            byte[] rest = concat(m.unsent());
            assertArrayEquals(new byte[] {4, 5, 6, 7, 8, 9, 10, 11}, rest);
            m.advance(7);
            assertEquals(1, m.remaining());
            assertArrayEquals(new byte[] {11}, concat(m.unsent()));
            m.advance(1);
            assertTrue(m.isEmpty());
            assertEquals(0, m.remaining());
        }
    }

    @Test
    void atMostIovMaxPiecesPerCall() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment[] rows = new MemorySegment[2500];
            for (int i = 0; i < rows.length; i++) rows[i] = bytes(a, i, 4);
            OutgoingMessage m = new OutgoingMessage();
            m.start(rows);
            assertEquals(OutgoingMessage.MAX_PIECES, m.unsent().length);
            m.advance(4L * OutgoingMessage.MAX_PIECES * 2);
            assertEquals(2500 - 2 * OutgoingMessage.MAX_PIECES, m.unsent().length);
        }
    }

    @Test
    void knowsWhetherItStillReadsFromMemoryAndCopiesTheUnsentRest() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment resource = bytes(a, 100, 64);
            MemorySegment header = bytes(a, 0, 8);
            OutgoingMessage m = new OutgoingMessage();
            m.start(header, resource.asSlice(16, 16), resource.asSlice(48, 16));
            assertTrue(m.readsFrom(resource));
            assertFalse(m.readsFrom(bytes(a, 0, 64)));
            m.advance(10); // the header and two bytes of the first row
            MemorySegment copy = a.allocate(m.remaining());
            m.copyUnsentTo(copy);
            byte[] want = new byte[30];
            for (int i = 0; i < 14; i++) want[i] = (byte) (100 + 18 + i);
            for (int i = 0; i < 16; i++) want[14 + i] = (byte) (100 + 48 + i);
            assertArrayEquals(want, copy.toArray(ValueLayout.JAVA_BYTE));
            m.advance(30);
            assertFalse(m.readsFrom(resource), "nothing left to send");
        }
    }
}
