package dev.panamavgpu.gpu.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class PixelFormatTest {
    private static final byte R = 0x11;
    private static final byte G = 0x22;
    private static final byte B = 0x33;
    private static final byte A = 0x44;

    /** The memory bytes of the pixel (R,G,B,A/X) = (0x11,0x22,0x33,0x44) in each format's own order. */
    private static byte[] sourceBytes(PixelFormat f) {
        return switch (f) {
            case B8G8R8A8_UNORM, B8G8R8X8_UNORM -> new byte[] {B, G, R, A};
            case A8R8G8B8_UNORM, X8R8G8B8_UNORM -> new byte[] {A, R, G, B};
            case R8G8B8A8_UNORM, R8G8B8X8_UNORM -> new byte[] {R, G, B, A};
            case X8B8G8R8_UNORM, A8B8G8R8_UNORM -> new byte[] {A, B, G, R};
        };
    }

    @ParameterizedTest
    @EnumSource(PixelFormat.class)
    void knownPixelBecomesBgrx(PixelFormat f) {
        byte[] dst = new byte[4];
        f.convertRow(MemorySegment.ofArray(sourceBytes(f)), MemorySegment.ofArray(dst), 1);
        // Display bytes are B,G,R,X; X carries the source's A/X byte (pure permutation, documented).
        assertArrayEquals(new byte[] {B, G, R, A}, dst, f.name());
    }

    @ParameterizedTest
    @EnumSource(PixelFormat.class)
    void pairPathMatchesSinglePixelPath(PixelFormat f) {
        Random rnd = new Random(f.code());
        for (int pixels : new int[] {0, 1, 2, 3, 7, 64, 1281}) {
            byte[] src = new byte[pixels * 4 + 5];
            rnd.nextBytes(src);
            byte[] dst = new byte[pixels * 4 + 9];
            f.convertRow(MemorySegment.ofArray(src), 5, MemorySegment.ofArray(dst), 9, pixels);
            MemorySegment s = MemorySegment.ofArray(src);
            MemorySegment d = MemorySegment.ofArray(dst);
            for (int i = 0; i < pixels; i++) {
                int want = f.toDisplayPixel(s.get(Wire.LE32, 5 + i * 4L));
                assertEquals(want, d.get(Wire.LE32, 9 + i * 4L), f + " pixel " + i + " of " + pixels);
            }
            assertArrayEquals(new byte[9], Arrays.copyOf(dst, 9), "bytes before dstOffset untouched");
        }
    }

    @ParameterizedTest
    @EnumSource(PixelFormat.class)
    void inPlaceConversion(PixelFormat f) {
        byte[] row = new byte[5 * 4];
        for (int i = 0; i < 5; i++) {
            System.arraycopy(sourceBytes(f), 0, row, i * 4, 4);
        }
        MemorySegment s = MemorySegment.ofArray(row);
        f.convertRow(s, s, 5);
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(new byte[] {B, G, R, A}, Arrays.copyOfRange(row, i * 4, i * 4 + 4));
        }
    }

    @Test
    void codesMatchVirtioGpuH() {
        assertEquals(1, PixelFormat.B8G8R8A8_UNORM.code());
        assertEquals(2, PixelFormat.B8G8R8X8_UNORM.code());
        assertEquals(3, PixelFormat.A8R8G8B8_UNORM.code());
        assertEquals(4, PixelFormat.X8R8G8B8_UNORM.code());
        assertEquals(67, PixelFormat.R8G8B8A8_UNORM.code());
        assertEquals(68, PixelFormat.X8B8G8R8_UNORM.code());
        assertEquals(121, PixelFormat.A8B8G8R8_UNORM.code());
        assertEquals(134, PixelFormat.R8G8B8X8_UNORM.code());
        for (PixelFormat f : PixelFormat.values()) {
            assertSame(f, PixelFormat.fromCode(f.code()));
        }
    }

    @Test
    void unknownCodes() {
        for (int code : new int[] {0, 5, 66, 69, 120, 122, 133, 135, -1, Integer.MIN_VALUE}) {
            assertNull(PixelFormat.fromCode(code));
        }
    }

    @Test
    void displayNativeAndAlpha() {
        assertTrue(PixelFormat.B8G8R8A8_UNORM.isDisplayNative());
        assertTrue(PixelFormat.B8G8R8X8_UNORM.isDisplayNative());
        assertFalse(PixelFormat.R8G8B8X8_UNORM.isDisplayNative());
        assertFalse(PixelFormat.A8R8G8B8_UNORM.isDisplayNative());
        assertTrue(PixelFormat.A8B8G8R8_UNORM.hasAlpha());
        assertFalse(PixelFormat.X8B8G8R8_UNORM.hasAlpha());
    }

    @ParameterizedTest
    @CsvSource({
            "B8G8R8A8_UNORM, AR24", "B8G8R8X8_UNORM, XR24", "A8R8G8B8_UNORM, BA24", "X8R8G8B8_UNORM, BX24",
            "R8G8B8A8_UNORM, AB24", "X8B8G8R8_UNORM, RX24", "A8B8G8R8_UNORM, RA24", "R8G8B8X8_UNORM, XB24"})
    void drmFourcc(PixelFormat f, String fourcc) {
        int want = fourcc.charAt(0) | fourcc.charAt(1) << 8 | fourcc.charAt(2) << 16 | fourcc.charAt(3) << 24;
        assertEquals(want, f.drmFourcc());
    }

    @Test
    void convertRectHonoursStrides() {
        PixelFormat f = PixelFormat.R8G8B8X8_UNORM;
        // 3x2 block out of a 4-pixel-wide source (stride 16) into a packed destination (stride 12).
        byte[] src = new byte[16 * 2];
        for (int i = 0; i < src.length; i += 4) {
            src[i] = (byte) i;
            src[i + 2] = (byte) 0xEE;
        }
        byte[] dst = new byte[12 * 2];
        f.convertRect(MemorySegment.ofArray(src), 4, 16, MemorySegment.ofArray(dst), 0, 12, 3, 2);
        assertEquals((byte) 0xEE, dst[0]);
        assertEquals((byte) 4, dst[2]);
        assertEquals((byte) 20, dst[12 + 2], "row 1 starts at src offset 4 + 16");
    }

    @Test
    void boundsAreCheckedBeforeWriting() {
        byte[] dst = new byte[8];
        MemorySegment d = MemorySegment.ofArray(dst);
        assertThrows(IndexOutOfBoundsException.class,
                () -> PixelFormat.A8R8G8B8_UNORM.convertRow(MemorySegment.ofArray(new byte[12]), d, 3));
        assertArrayEquals(new byte[8], dst);
        assertThrows(IndexOutOfBoundsException.class, () -> PixelFormat.B8G8R8A8_UNORM.convertRect(
                MemorySegment.ofArray(new byte[16]), 0, 8, d, 0, 4, 1, 3));
        assertArrayEquals(new byte[8], dst);
        assertThrows(IllegalArgumentException.class,
                () -> PixelFormat.B8G8R8A8_UNORM.convertRow(d, d, -1));
        assertThrows(ArithmeticException.class,
                () -> PixelFormat.B8G8R8A8_UNORM.convertRow(d, d, Long.MAX_VALUE));
    }

    @Test
    void largeRowIsFast() {
        // Smoke check for the pair loop on a 4K row x 256 rows; no timing assertion, just exercise JIT paths.
        MemorySegment src = MemorySegment.ofArray(new byte[3840 * 4 * 256]);
        MemorySegment dst = MemorySegment.ofArray(new byte[3840 * 4 * 256]);
        for (PixelFormat f : PixelFormat.values()) {
            f.convertRect(src, 0, 3840 * 4, dst, 0, 3840 * 4, 3840, 256);
        }
        assertEquals(0, dst.get(Wire.LE32, 0));
    }
}
