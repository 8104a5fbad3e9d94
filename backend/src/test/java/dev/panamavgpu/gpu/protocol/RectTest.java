package dev.panamavgpu.gpu.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class RectTest {
    private static final long MAX = 0xFFFF_FFFFL;

    @Test
    void edgesDoNotWrapLikeU32() {
        Rect r = new Rect(MAX, 0, 2, 1);
        assertEquals(MAX + 2, r.right());
        // In u32 arithmetic x + w = 1 would pass a 1024-wide bounds check.
        assertFalse(r.within(1024, 768));
    }

    @Test
    void within() {
        assertTrue(new Rect(0, 0, 1024, 768).within(1024, 768));
        assertTrue(new Rect(1000, 700, 24, 68).within(1024, 768));
        assertFalse(new Rect(1000, 700, 25, 68).within(1024, 768));
        assertFalse(new Rect(0, 0, MAX, MAX).within(MAX - 1, MAX));
        assertTrue(new Rect(0, 0, MAX, MAX).within(MAX, MAX));
        assertTrue(Rect.EMPTY.within(0, 0));
    }

    @Test
    void intersect() {
        Rect a = new Rect(10, 10, 100, 50);
        assertEquals(new Rect(50, 20, 60, 40), a.intersect(new Rect(50, 20, 500, 500)));
        assertEquals(a, a.intersect(new Rect(0, 0, MAX, MAX)));
        assertTrue(a.intersect(new Rect(200, 200, 10, 10)).isEmpty());
        assertTrue(a.intersect(new Rect(110, 10, 10, 10)).isEmpty(), "touching edges do not overlap");
        Rect huge = new Rect(MAX, MAX, MAX, MAX);
        assertTrue(a.intersect(huge).isEmpty());
        assertEquals(new Rect(MAX, MAX, MAX, MAX), huge.intersect(huge));
    }

    @Test
    void area() {
        assertEquals(1024L * 768, new Rect(0, 0, 1024, 768).area());
        assertEquals(0, new Rect(5, 5, 0, 100).area());
        assertEquals(0x1_0000_0000L * 0x4000, new Rect(0, 0, 0x1_0000_0000L - 1, 0x4000).area() + 0x4000);
        assertEquals(-1, new Rect(0, 0, MAX, MAX).area());
    }

    @Test
    void rejectsNonU32Components() {
        assertThrows(IllegalArgumentException.class, () -> new Rect(-1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Rect(0, 0, MAX + 1, 0));
    }

    @Test
    void roundTripsThroughMemory() {
        MemorySegment s = MemorySegment.ofArray(new byte[20]);
        Rect r = new Rect(1, MAX, 0x8000_0000L, 7);
        r.write(s, 3);
        assertEquals(r, Rect.read(s, 3));
        assertEquals(0xFF, Byte.toUnsignedInt(s.get(Wire.U8, 3 + 4)));
    }
}
