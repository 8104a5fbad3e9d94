package dev.panamavgpu.testguest.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The Java twin of gltest's scenes: a few pixels straight from gltest.c's rules, and the properties the e2e test relies on. */
class GlScenesTest {
    private static final int W = 1280, H = 800;

    @Test
    void sceneAPixelsFollowGltestRules() {
        assertEquals(0x203040, GlScenes.a(0, 0, W, H));
        assertEquals(0xFF0000, GlScenes.a(W / 8, H / 8, W, H));          // drawn quad, first pixel
        assertEquals(0x203040, GlScenes.a(W / 8 - 1, H / 8, W, H));      // just left of it
        assertEquals(0xFF0000, GlScenes.a(W / 2 - 1, H / 2 - 1, W, H));  // its last pixel (half-open)
        assertEquals(0x00FF00, GlScenes.a(W / 2, H / 2, W, H));          // scissored clear
        assertEquals(0x203040, GlScenes.a(7 * W / 8, H / 2, W, H));
        assertEquals(0xFF0000, GlScenes.a(0, H - 40, W, H));             // bar 0
        assertEquals(0x808080, GlScenes.a(W - 1, H - 9, W, H));          // bar 7, last row
        assertEquals(0x203040, GlScenes.a(W - 1, H - 8, W, H));
    }

    @Test
    void barsSplitAnOddWidthLikeIntegerDivision() {
        int w = 1023;
        for (int x = 0; x < w; x++) {
            int[] bars = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0x00FFFF, 0xFF00FF, 0x000000, 0x808080};
            assertEquals(bars[x * 8 / w], GlScenes.a(x, 768 - 20, w, 768), "x=" + x);
        }
    }

    @Test
    void sceneBPixelsFollowGltestRules() {
        assertEquals(0xF0C878, GlScenes.b(0, 0, W, H));
        assertEquals(0x00FFFF, GlScenes.b(W - 1, 0, W, H));
        assertEquals(0x1E3C5A, GlScenes.b(W / 2, H / 2, W, H));
        assertEquals(0xFF00FF, GlScenes.b(0, H - 1, W, H));
        assertEquals(0xF0C878, GlScenes.b(W / 4, H - 1, W, H));
    }

    @Test
    void scenesDifferFromEachOtherAndFromTheirFlips() {
        int[] a = GlScenes.render(GlScenes.Scene.A, W, H), b = GlScenes.render(GlScenes.Scene.B, W, H);
        assertFalse(Arrays.equals(a, b));
        assertFalse(Arrays.equals(a, GlScenes.flipped(a, W, H)), "A upside down must not pass as A");
        assertFalse(Arrays.equals(b, GlScenes.flipped(b, W, H)), "B upside down must not pass as B");
        assertArrayEquals(a, GlScenes.flipped(GlScenes.flipped(a, W, H), W, H));
    }
}
