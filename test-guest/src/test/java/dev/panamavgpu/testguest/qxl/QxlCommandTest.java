package dev.panamavgpu.testguest.qxl;

import static dev.panamavgpu.testguest.qxl.QxlGuest.IO_OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamavgpu.qxl.QxlStats;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every QXL command the device renders, driven by the Java guest through the shared region. */
class QxlCommandTest {
    private QxlRig rig;
    private QxlGuest g;

    @BeforeEach
    void start() throws Exception {
        rig = QxlRig.start();
        g = rig.guest;
        assertEquals(IO_OK, g.createPrimary(64, 48, false));
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    private void update() throws Exception {
        assertEquals(IO_OK, g.updateArea(0, 0, 0, 64, 48));
    }

    @Test
    void fillIsDrawnOnUpdateAreaAndReleased() throws Exception {
        long d = g.fill(0, 10, 5, 20, 10, 0x00ff0000, null);
        update();
        assertEquals(0x00ff0000, g.primaryPixel(10, 5));
        assertEquals(0x00ff0000, g.primaryPixel(29, 14));
        assertEquals(0, g.primaryPixel(30, 14));
        assertEquals(0, g.primaryPixel(10, 15));
        assertEquals(0, g.primaryPixel(9, 5));
        assertEquals(List.of(g.idAt(d)), g.collectReleases());
        assertTrue(g.outstanding().isEmpty());
    }

    @Test
    void fillHonoursClipRects() throws Exception {
        g.fill(0, 0, 0, 64, 48, 0x0000ff00, new int[] {0, 0, 4, 4, 60, 44, 10, 10});
        update();
        assertEquals(0x0000ff00, g.primaryPixel(3, 3));
        assertEquals(0, g.primaryPixel(4, 4));
        assertEquals(0x0000ff00, g.primaryPixel(63, 47));
        assertEquals(0, g.primaryPixel(59, 47));
        assertEquals(0, g.primaryPixel(30, 20));
    }

    @Test
    void fillOutsideTheSurfaceIsClippedToIt() throws Exception {
        g.fill(0, 60, 40, 1000, 1000, 0x123456, null);
        g.fill(0, -50, -50, 51, 51, 0x654321, null);
        update();
        assertEquals(0x123456, g.primaryPixel(63, 47));
        assertEquals(0x654321, g.primaryPixel(0, 0));
        assertEquals(0, g.primaryPixel(1, 1));
    }

    private static int[] pattern(int w, int h) {
        int[] p = new int[w * h];
        for (int i = 0; i < p.length; i++) p[i] = 0x00010203 * (i + 1) & 0xffffff;
        return p;
    }

    private void assertPattern(int x, int y, int w, int h, int[] p) {
        for (int r = 0; r < h; r++)
            for (int c = 0; c < w; c++) assertEquals(p[r * w + c], g.primaryPixel(x + c, y + r), "pixel " + c + "," + r);
    }

    @Test
    void copyOfADirectBitmap() throws Exception {
        int[] p = pattern(7, 5);
        g.copyBitmap(0, 3, 4, 7, 5, p, 0, false);
        update();
        assertPattern(3, 4, 7, 5, p);
        assertEquals(0, g.primaryPixel(10, 4));
    }

    @Test
    void copyOfAChunkedBitmapWithChunksSplittingRows() throws Exception {
        int[] p = pattern(9, 6);
        g.copyBitmap(0, 20, 10, 9, 6, p, 10, false); // 10-byte chunks: pixels and rows straddle chunks
        update();
        assertPattern(20, 10, 9, 6, p);
    }

    @Test
    void copyOfABottomUpBitmap() throws Exception {
        int[] p = pattern(4, 6);
        g.copyBitmap(0, 0, 0, 4, 6, p, 0, true);
        g.copyBitmap(0, 30, 30, 4, 6, p, 16, true);
        update();
        assertPattern(0, 0, 4, 6, p);
        assertPattern(30, 30, 4, 6, p);
    }

    @Test
    void offscreenSurfaceCreateIsReleasedAtOnceAndCopiesToThePrimary() throws Exception {
        long create = g.surfaceCreate(7, 16, 16, g.alloc(16 * 16 * 4), false);
        g.fill(7, 0, 0, 16, 16, 0x00abcdef, null);
        rig.settle();
        // the create command came back without the surface being destroyed
        assertTrue(g.collectReleases().contains(g.idAt(create)));
        QxlStats s = rig.stats();
        assertEquals(1, s.liveSurfaces());
        g.copySurface(0, 40, 20, 8, 8, 7, 4, 4);
        update();
        assertEquals(0x00abcdef, g.primaryPixel(40, 20));
        assertEquals(0x00abcdef, g.primaryPixel(47, 27));
        assertEquals(0, g.primaryPixel(48, 28));
        long destroy = g.surfaceDestroy(7);
        rig.settle();
        assertTrue(g.collectReleases().contains(g.idAt(destroy)));
        assertEquals(0, rig.stats().liveSurfaces());
        assertEquals(0, rig.charged() - 64 * 48 * 4, "only the primary is charged");
    }

    @Test
    void destroyWritesTheSurfaceBackToGuestMemory() throws Exception {
        long mem = g.alloc(8 * 8 * 4);
        g.surfaceCreate(3, 8, 8, mem, false);
        g.fill(3, 2, 2, 2, 2, 0x00777777, null);
        g.surfaceDestroy(3);
        rig.settle();
        assertEquals(0x00777777, g.shm.get(QxlGuest.LE32, mem + 4L * (2 * 8 + 2)));
        assertEquals(0, g.shm.get(QxlGuest.LE32, mem));
    }

    @Test
    void keepDataLoadsTheGuestPixelsIntoANewSurface() throws Exception {
        long mem = g.alloc(4 * 4 * 4);
        for (int i = 0; i < 16; i++) g.shm.set(QxlGuest.LE32, mem + 4L * i, 0x100 + i);
        g.surfaceCreate(9, 4, 4, mem, true);
        g.copySurface(0, 0, 0, 4, 4, 9, 0, 0);
        update();
        assertEquals(0x100, g.primaryPixel(0, 0));
        assertEquals(0x10f, g.primaryPixel(3, 3));
    }

    @Test
    void surfaceIdsAreNotLimitedToASmallTable() throws Exception {
        for (int id : new int[] {1, 1024, 5000, 100_000, 1_000_000, 16_000_000}) g.surfaceCreate(id, 2, 2, -1, false);
        rig.settle();
        assertEquals(6, rig.stats().liveSurfaces());
        assertEquals("NONE", rig.stats().bug());
    }

    @Test
    void copyBitsScrollsWithOverlap() throws Exception {
        for (int y = 0; y < 48; y++) g.fill(0, 0, y, 64, 1, y, null);
        g.copyBits(0, 0, 0, 64, 40, 0, 8, null); // scroll up by 8 rows
        update();
        for (int y = 0; y < 40; y++) assertEquals(y + 8, g.primaryPixel(5, y), "row " + y);
        assertEquals(40, g.primaryPixel(5, 40));
    }

    @Test
    void copyBitsWithClipOnlyTouchesTheClip() throws Exception {
        g.fill(0, 0, 0, 8, 8, 0xff, null);
        g.copyBits(0, 20, 20, 8, 8, 0, 0, new int[] {20, 20, 4, 4});
        update();
        assertEquals(0xff, g.primaryPixel(23, 23));
        assertEquals(0, g.primaryPixel(24, 24));
    }

    @Test
    void copyBitsFromPartlyOutsideTheSurfaceCopiesTheExistingPart() throws Exception {
        g.fill(0, 0, 0, 4, 4, 0x31, null);
        g.copyBits(0, 10, 10, 8, 8, -4, -4, null); // source (-4,-4)-(4,4): only (0,0)-(4,4) exists
        g.copyBits(0, 50, 40, 8, 8, 60, 44, null); // source runs off the bottom-right corner
        update();
        assertEquals(0x31, g.primaryPixel(14, 14));
        assertEquals(0x31, g.primaryPixel(17, 17));
        assertEquals(0, g.primaryPixel(13, 13));
        assertEquals("NONE", rig.stats().bug());
    }

    @Test
    void copyBitsWithOverlappingClipRectsReadsTheOldPixels() throws Exception {
        for (int x = 0; x < 16; x++) g.fill(0, x, 0, 1, 1, x + 1, null);
        // shift right by 2 through two overlapping clips: every destination reads the pixel from before
        g.copyBits(0, 2, 0, 14, 1, 0, 0, new int[] {2, 0, 8, 1, 6, 0, 10, 1});
        update();
        for (int x = 2; x < 16; x++) assertEquals(x - 1, g.primaryPixel(x, 0), "x " + x);
    }

    @Test
    void cursorSetMoveHide() throws Exception {
        long set = g.cursorSet(5, 6, 16, 16);
        rig.settle();
        QxlStats s = rig.stats();
        assertTrue(s.cursorVisible());
        assertEquals(5, s.cursorX());
        assertEquals(16, s.cursorWidth());
        // the shape was copied: the SET command comes back at once
        assertTrue(g.collectReleases().contains(g.idAt(set)));
        g.cursorMove(30, 31);
        rig.settle();
        s = rig.stats();
        assertEquals(30, s.cursorX());
        assertEquals(31, s.cursorY());
        g.cursorHide();
        rig.settle();
        assertFalse(rig.stats().cursorVisible());
        assertTrue(g.collectReleases().size() >= 2);
        assertTrue(g.outstanding().isEmpty());
    }

    @Test
    void manyCommandsBeyondTheRingSizeAllComeBack() throws Exception {
        for (int i = 0; i < 300; i++) {
            g.fill(0, i % 64, (i / 64) % 48, 1, 1, i, null);
            if (i % 50 == 0) g.collectReleases();
        }
        update();
        assertEquals(IO_OK, g.io(QxlGuest.IO_FLUSH_RELEASE, 0));
        g.collectReleases();
        assertTrue(g.outstanding().isEmpty(), "outstanding: " + g.outstanding().size());
        assertEquals(299, g.primaryPixel(299 % 64, 4));
    }

    @Test
    void primaryWithNegativeStrideIsStoredBottomUp() throws Exception {
        assertEquals(IO_OK, g.io(QxlGuest.IO_DESTROY_PRIMARY_ASYNC, 0));
        assertEquals(IO_OK, g.createPrimary(8, 4, true));
        g.fill(0, 0, 0, 8, 1, 0x42, null);
        assertEquals(IO_OK, g.updateArea(0, 0, 0, 8, 4));
        // top row of the image is the last row in memory
        assertEquals(0x42, g.shm.get(QxlGuest.LE32, g.primaryOffset + 3 * 32));
        assertEquals(0, g.shm.get(QxlGuest.LE32, g.primaryOffset));
    }
}
