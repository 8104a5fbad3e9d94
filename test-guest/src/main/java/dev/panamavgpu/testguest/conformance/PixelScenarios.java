package dev.panamavgpu.testguest.conformance;

import static dev.panamavgpu.testguest.check.ResponseChecks.*;
import static dev.panamavgpu.testguest.check.Expect.*;

import dev.panamavgpu.testguest.driver.Backing;
import dev.panamavgpu.testguest.qemu.DisplayEvent;
import dev.panamavgpu.testguest.qemu.QemuDisplayPeer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Pixels end to end: guest backing → TRANSFER → SET_SCANOUT/FLUSH → the UPDATE QEMU receives, for all eight 2D
 * formats. Expected bytes come from the virtio format names (memory byte order, linux/virtio_gpu.h), converted to
 * PIXMAN_x8r8g8b8 (memory B,G,R,X); the X byte is undefined in x8r8g8b8 and not compared.
 */
public final class PixelScenarios {

    private PixelScenarios() {}

    /** Every scenario of this group, one per parameter set. */
    public static List<Scenario> all() {
        List<Scenario> s = new ArrayList<>();
        formats().forEach(a -> s.add(Scenario.of(GROUP, "fullFrameReachesQemuAsX8r8g8b8[" + a + "]", rig -> fullFrameReachesQemuAsX8r8g8b8(rig, a))));
        formats().forEach(a -> s.add(Scenario.of(GROUP, "flushSendsOnlyTheFlushedRectangleClippedToTheScanout[" + a + "]", rig -> flushSendsOnlyTheFlushedRectangleClippedToTheScanout(rig, a))));
        s.add(Scenario.of(GROUP, "oneResourceOnTwoScanoutsGetsOneClippedUpdatePerScanout", Setup.display(TWO_SCANOUTS), PixelScenarios::oneResourceOnTwoScanoutsGetsOneClippedUpdatePerScanout));
        s.add(Scenario.of(GROUP, "backingScatteredOverFivePiecesWithPixelsStraddlingThem", PixelScenarios::backingScatteredOverFivePiecesWithPixelsStraddlingThem));
        formats().forEach(a -> s.add(Scenario.of(GROUP, "cursorImageIsA8r8g8b8[" + a + "]", rig -> cursorImageIsA8r8g8b8(rig, a))));
        return List.copyOf(s);
    }

    static final int W = 64, H = 48, STRIDE = W * 4;
    static final String GROUP = "pixels";
    static final QemuDisplayPeer.Config TWO_SCANOUTS = QemuDisplayPeer.Config.defaults().withMaxOutputs(2)
            .withDisplays(List.of(new QemuDisplayPeer.Mode(W, H, true), new QemuDisplayPeer.Mode(32, 16, true)));

    /** virtio_gpu_formats: code and the component in each memory byte. */
    record Format(int code, String name) {
        /** Memory byte index of component {@code c} ('B', 'G', 'R', 'A' or 'X'). */
        int byteOf(char c) { return name.indexOf(c) / 2; }

        /** The 4 memory bytes (as a little-endian int) of a pixel with these components. */
        int encode(int r, int g, int b, int a) {
            int[] bytes = new int[4];
            bytes[byteOf('R')] = r;
            bytes[byteOf('G')] = g;
            bytes[byteOf('B')] = b;
            int ax = name.indexOf('A') >= 0 ? byteOf('A') : byteOf('X');
            bytes[ax] = a;
            return bytes[0] | bytes[1] << 8 | bytes[2] << 16 | bytes[3] << 24;
        }

        boolean hasAlpha() { return name.indexOf('A') >= 0; }

        @Override public String toString() { return name + "(" + code + ")"; }
    }

    static Stream<Format> formats() {
        return Stream.of(new Format(1, "B8G8R8A8"), new Format(2, "B8G8R8X8"), new Format(3, "A8R8G8B8"),
                new Format(4, "X8R8G8B8"), new Format(67, "R8G8B8A8"), new Format(68, "X8B8G8R8"),
                new Format(121, "A8B8G8R8"), new Format(134, "R8G8B8X8"));
    }

    static int r(int x, int y, int salt) { return (x * 4 + 1 + salt) & 0xff; }
    static int g(int x, int y, int salt) { return (y * 5 + 2 + salt) & 0xff; }
    static int b(int x, int y, int salt) { return (x * y + 3 + salt * 7) & 0xff; }
    static int a(int x, int y, int salt) { return (x + y * 3 + 0x40) & 0xff; }

    /** The x8r8g8b8 word QEMU should get, without the X byte: B | G<<8 | R<<16. */
    static int expectedRgb(int x, int y, int salt) { return b(x, y, salt) | g(x, y, salt) << 8 | r(x, y, salt) << 16; }

    static void paint(Backing bk, Format f, int x0, int y0, int w, int h, int salt) {
        bk.fillRect(x0, y0, w, h, STRIDE, (x, y) -> f.encode(r(x, y, salt), g(x, y, salt), b(x, y, salt), a(x, y, salt)));
    }
    static void fullFrameReachesQemuAsX8r8g8b8(GpuRig rig, Format f) throws Exception {
        Backing bk = rig.gpu().createWithBacking(1, f.code(), W, H);
        paint(bk, f, 0, 0, W, H, f.code());
        assertNoData(rig.gpu().transfer(1, 0, 0, W, H));
        int m = rig.peer().mark();
        assertNoData(rig.gpu().setScanout(0, 1, 0, 0, W, H));
        assertNoData(rig.gpu().flush(1, 0, 0, W, H));
        QemuDisplayPeer.Framebuffer fb = rig.peer().awaitFramebuffer(0, x -> matches(x, 0, 0, W, H, f.code()), 3000);
        if (fb == null) fb = rig.peer().framebuffer(0); // compare what QEMU has, for the message
        assertNotNull(fb, "no SCANOUT reached QEMU");
        assertEquals(List.of(W, H), List.of(fb.width(), fb.height()));
        assertPixels(fb, 0, 0, W, H, 0, 0, f.code());
        // SCANOUT came before the first UPDATE, and every UPDATE lies in the 64x48 scanout
        List<DisplayEvent> ev = rig.peer().eventsSince(m);
        int firstScanout = indexOf(ev, DisplayEvent.Scanout.class), firstUpdate = indexOf(ev, DisplayEvent.Update.class);
        assertTrue(firstScanout >= 0 && firstUpdate > firstScanout, "SCANOUT before UPDATE: " + ev);
        assertEquals(new DisplayEvent.Scanout(0, W, H), ev.get(firstScanout));
        rig.assertCleanDisplay();
    }
    static void flushSendsOnlyTheFlushedRectangleClippedToTheScanout(GpuRig rig, Format f) throws Exception {
        Backing bk = rig.gpu().createWithBacking(1, f.code(), W, H);
        paint(bk, f, 0, 0, W, H, 0);
        assertNoData(rig.gpu().transfer(1, 0, 0, W, H));
        // the scanout shows the 40x32 part of the resource at (8,4)
        assertNoData(rig.gpu().setScanout(0, 1, 8, 4, 40, 32));
        QemuDisplayPeer.Framebuffer fb = rig.peer().awaitFramebuffer(0, x -> x.width() == 40 && matches(x, 0, 0, 40, 32, 0, 8, 4), 3000);
        if (fb == null) fb = rig.peer().framebuffer(0); // compare what QEMU has, for the message
        assertNotNull(fb);
        assertPixels(fb, 0, 0, 40, 32, 8, 4, 0);

        // new pixels in resource rect (0,0)-(20,20); the flush of that rect overlaps the scanout in (8,4)-(20,20)
        paint(bk, f, 0, 0, 20, 20, 99);
        assertNoData(rig.gpu().transfer(1, 0, 0, 20, 20));
        int m = rig.peer().mark();
        assertNoData(rig.gpu().flush(1, 0, 0, 20, 20));
        DisplayEvent.Update u = rig.peer().awaitAfter(m, DisplayEvent.Update.class, x -> true, 3000);
        assertNotNull(u, "the flush sends an UPDATE");
        assertEquals(List.of(0, 0, 0, 12, 16), List.of(u.scanoutId(), u.x(), u.y(), u.width(), u.height()),
                "UPDATE rect (scanout coordinates) = flush rect ∩ scanout rect");
        for (int y = 0; y < 16; y++) for (int x = 0; x < 12; x++) {
            assertEquals(hex(expectedRgb(x + 8, y + 4, 99)), hex(u.pixel(x, y) & 0xFFFFFF), "UPDATE pixel " + x + "," + y);
        }

        // a flush entirely outside the scanout rect sends nothing; the next one is exactly its own rect
        int m2 = rig.peer().mark();
        assertNoData(rig.gpu().flush(1, 50, 38, 14, 10));
        assertNoData(rig.gpu().flush(1, 30, 30, 4, 2));
        DisplayEvent.Update s = rig.peer().awaitAfter(m2, DisplayEvent.Update.class, x -> true, 3000);
        assertNotNull(s);
        assertEquals(List.of(0, 22, 26, 4, 2), List.of(s.scanoutId(), s.x(), s.y(), s.width(), s.height()),
                "the outside flush must not add damage");
        Thread.sleep(100);
        assertEquals(1, rig.peer().eventsSince(m2).stream().filter(e -> e instanceof DisplayEvent.Update).count(),
                "UPDATEs after the two flushes: " + rig.peer().eventsSince(m2));
        // QEMU's picture is the resource's, in every pixel
        fb = rig.peer().framebuffer(0);
        for (int y = 0; y < 32; y++) for (int x = 0; x < 40; x++) {
            int salt = (x + 8 < 20 && y + 4 < 20) ? 99 : 0;
            assertEquals(hex(expectedRgb(x + 8, y + 4, salt)), hex(fb.pixel(x, y) & 0xFFFFFF), "pixel " + x + "," + y);
        }
        rig.assertCleanDisplay();
    }
    static void oneResourceOnTwoScanoutsGetsOneClippedUpdatePerScanout(GpuRig rig) throws Exception {
        Format f = new Format(1, "B8G8R8A8");
        Backing bk = rig.gpu().createWithBacking(1, f.code(), W, H);
        paint(bk, f, 0, 0, W, H, 0);
        assertNoData(rig.gpu().transfer(1, 0, 0, W, H));
        assertNoData(rig.gpu().setScanout(0, 1, 0, 0, W, H));
        assertNoData(rig.gpu().setScanout(1, 1, 32, 32, 32, 16)); // bottom-right quarter-ish
        assertNotNull(rig.peer().awaitFramebuffer(0, x -> matches(x, 0, 0, W, H, 0), 3000));
        assertNotNull(rig.peer().awaitFramebuffer(1, x -> matches(x, 0, 0, 32, 16, 0, 32, 32), 3000));
        paint(bk, f, 24, 24, 16, 16, 3);
        assertNoData(rig.gpu().transfer(1, 24, 24, 16, 16));
        int m = rig.peer().mark();
        assertNoData(rig.gpu().flush(1, 24, 24, 16, 16));
        DisplayEvent.Update u0 = rig.peer().awaitAfter(m, DisplayEvent.Update.class, u -> u.scanoutId() == 0, 3000);
        DisplayEvent.Update u1 = rig.peer().awaitAfter(m, DisplayEvent.Update.class, u -> u.scanoutId() == 1, 3000);
        assertNotNull(u0);
        assertNotNull(u1);
        assertEquals(List.of(24, 24, 16, 16), List.of(u0.x(), u0.y(), u0.width(), u0.height()));
        assertEquals(List.of(0, 0, 8, 8), List.of(u1.x(), u1.y(), u1.width(), u1.height()), "clipped to scanout 1's rect at (32,32)");
        for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) {
            assertEquals(hex(expectedRgb(32 + x, 32 + y, 3)), hex(u1.pixel(x, y) & 0xFFFFFF));
        }
        rig.assertCleanDisplay();
    }
    static void backingScatteredOverFivePiecesWithPixelsStraddlingThem(GpuRig rig) throws Exception {
        Format f = new Format(3, "A8R8G8B8");
        assertNoData(rig.gpu().createResource(1, f.code(), W, H));
        Backing bk = rig.gpu().allocBacking((long) STRIDE * H, 5); // 2457-byte pieces: pixels straddle pieces
        assertEquals(5, bk.entries().size());
        assertNoData(rig.gpu().attachBacking(1, bk));
        paint(bk, f, 0, 0, W, H, 5);
        assertNoData(rig.gpu().transfer(1, 0, 0, W, H));
        assertNoData(rig.gpu().setScanout(0, 1, 0, 0, W, H));
        QemuDisplayPeer.Framebuffer fb = rig.peer().awaitFramebuffer(0, x -> matches(x, 0, 0, W, H, 5), 3000);
        if (fb == null) fb = rig.peer().framebuffer(0); // compare what QEMU has, for the message
        assertNotNull(fb);
        assertPixels(fb, 0, 0, W, H, 0, 0, 5);
        // a partial transfer (not whole rows) across piece boundaries
        paint(bk, f, 3, 5, 33, 17, 6);
        assertNoData(rig.gpu().transfer(1, 3, 5, 33, 17));
        assertNoData(rig.gpu().flush(1, 0, 0, W, H));
        fb = rig.peer().awaitFramebuffer(0, x -> (x.pixel(3, 5) & 0xFFFFFF) == expectedRgb(3, 5, 6) && (x.pixel(35, 21) & 0xFFFFFF) == expectedRgb(35, 21, 6), 3000);
        if (fb == null) fb = rig.peer().framebuffer(0); // compare what QEMU has, for the message
        for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) {
            boolean in = x >= 3 && x < 36 && y >= 5 && y < 22;
            assertEquals(hex(expectedRgb(x, y, in ? 6 : 5)), hex(fb.pixel(x, y) & 0xFFFFFF), "pixel " + x + "," + y);
        }
        rig.assertCleanDisplay();
    }
    static void cursorImageIsA8r8g8b8(GpuRig rig, Format f) throws Exception {
        Backing bk = rig.gpu().createWithBacking(5, f.code(), 64, 64);
        bk.fillPixels(64, 64, 256, (x, y) -> f.encode(r(x, y, 1), g(x, y, 1), b(x, y, 1), a(x, y, 1)));
        assertNoData(rig.gpu().transfer(5, 0, 0, 64, 64));
        int m = rig.peer().mark();
        assertNoData(rig.gpu().updateCursor(0, 10, 20, 5, 1, 2));
        DisplayEvent.CursorUpdate c = rig.peer().awaitAfter(m, DisplayEvent.CursorUpdate.class, x -> true, 3000);
        assertNotNull(c);
        for (int y = 0; y < 64; y++) for (int x = 0; x < 64; x++) {
            int alpha = f.hasAlpha() ? a(x, y, 1) : 0xFF; // formats without alpha are opaque
            assertEquals(hex(expectedRgb(x, y, 1) | alpha << 24), hex(c.pixel(x, y)), "cursor pixel " + x + "," + y);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    static int indexOf(List<DisplayEvent> ev, Class<?> type) {
        for (int i = 0; i < ev.size(); i++) if (type.isInstance(ev.get(i))) return i;
        return -1;
    }

    /** Does framebuffer rect (fx, fy, w, h) show resource pixels starting at (rx, ry) with {@code salt}? */
    static boolean matches(QemuDisplayPeer.Framebuffer fb, int fx, int fy, int w, int h, int salt) {
        return matches(fb, fx, fy, w, h, salt, 0, 0);
    }

    static boolean matches(QemuDisplayPeer.Framebuffer fb, int fx, int fy, int w, int h, int salt, int rx, int ry) {
        if (fb.width() < fx + w || fb.height() < fy + h) return false;
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            if ((fb.pixel(fx + x, fy + y) & 0xFFFFFF) != expectedRgb(rx + x, ry + y, salt)) return false;
        }
        return true;
    }

    static void assertPixels(QemuDisplayPeer.Framebuffer fb, int fx, int fy, int w, int h, int rx, int ry, int salt) {
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
            assertEquals(hex(expectedRgb(rx + x, ry + y, salt)), hex(fb.pixel(fx + x, fy + y) & 0xFFFFFF), "pixel " + x + "," + y);
        }
    }
}
