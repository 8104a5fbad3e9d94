package dev.panamavgpu.testguest.vnc;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.testguest.driver.Backing;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.vncbench.RfbViewer;
import dev.panamavgpu.vnc.VncAddress;
import dev.panamavgpu.vnc.VncConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.IntBinaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a viewer sees is what the guest drew: the guest (GpuDriver) draws through the in-JVM
 * backend, a test viewer (RfbViewer) reads it over RFB, pixel for pixel; in Raw and Tight, in
 * several pixel formats, across a resize and with the cursor.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VncViewerTest {
    static final int B8G8R8X8 = 2, R8G8B8A8 = 67;
    static final int W = 320, H = 200;

    /** The guest's picture: pixel (x, y) as 0xRRGGBB, varied enough that any misplaced byte shows. */
    static int picture(int x, int y, int salt) {
        int r = (x * 7 + salt) & 0xff, g = (y * 3 + x / 5) & 0xff, b = (x ^ y) + salt * 31 & 0xff;
        return r << 16 | g << 8 | b;
    }

    /** Creates a resource of {@code format} with the picture, shows it on scanout 0, flushes it. */
    static Backing draw(GpuDriver gpu, int id, int format, int w, int h, int salt) throws IOException {
        Backing bk = gpu.createWithBacking(id, format, w, h);
        paint(bk, format, 0, 0, w, h, w, salt);
        gpu.transfer(id, 0, 0, w, h);
        gpu.setScanout(0, id, 0, 0, w, h);
        gpu.flush(id, 0, 0, w, h);
        return bk;
    }

    static void paint(Backing bk, int format, int x0, int y0, int w, int h, int stridePixels, int salt) {
        bk.fillRect(x0, y0, w, h, stridePixels * 4L, (x, y) -> {
            int rgb = picture(x, y, salt);
            int r = rgb >>> 16 & 255, g = rgb >>> 8 & 255, b = rgb & 255;
            return format == R8G8B8A8 ? r | g << 8 | b << 16 | 0xff << 24 : b | g << 8 | r << 16; // memory bytes as a LE int
        });
    }

    /** Reads updates until the viewer's picture equals {@code want} or 10 s pass; returns the differing pixels. */
    static long awaitPicture(RfbViewer v, int w, int h, IntBinaryOperator want) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long diff;
        do {
            v.readMessage();
            diff = differing(v, w, h, want);
            if (diff != 0) v.requestAll(true);
        } while (diff != 0 && System.nanoTime() < deadline);
        return diff;
    }

    static long differing(RfbViewer v, int w, int h, IntBinaryOperator want) {
        if (v.width() != w || v.height() != h) return (long) w * h;
        long n = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) if (v.rgbAt(x, y) != want.applyAsInt(x, y)) n++;
        return n;
    }

    @Test
    void rawPixelsAreWhatTheGuestDrewIncludingADamagedRectangleLater() throws Exception {
        try (VncRig r = new VncRig(VncRig.unixNoAuth())) {
            Backing bk = draw(r.rig.gpu(), 1, B8G8R8X8, W, H, 0);
            try (RfbViewer v = r.viewer().handshake(8, null)) {
                assertEquals(W, v.width(), "ServerInit has the scanout's size");
                assertEquals(H, v.height());
                v.setEncodings(0).requestAll(false);
                assertEquals(0, awaitPicture(v, W, H, (x, y) -> picture(x, y, 0)));
                // the guest changes one rectangle; an incremental request gets it
                paint(bk, B8G8R8X8, 40, 30, 100, 50, W, 9);
                r.rig.gpu().transfer(1, 0, 0, W, H);
                r.rig.gpu().flush(1, 40, 30, 100, 50);
                v.requestAll(true);
                assertEquals(0, awaitPicture(v, W, H, (x, y) -> x >= 40 && x < 140 && y >= 30 && y < 80 ? picture(x, y, 9) : picture(x, y, 0)));
                assertTrue(v.encodingsSeen().stream().allMatch(e -> e == 0), "Raw only: " + v.encodingsSeen());
            }
        }
    }

    @Test
    void tightInNoVncsFormatWithLastRectResizeAndCursor() throws Exception {
        try (VncRig r = new VncRig(VncRig.unixNoAuth())) {
            draw(r.rig.gpu(), 1, R8G8B8A8, W, H, 3);
            try (RfbViewer v = r.viewer().handshake(8, null)) {
                // as noVNC 1.3 connects: R,G,B,X in memory, then its encodings, then a full request
                v.setPixelFormat(RfbViewer.Format.RGBX).setEncodings(7, 0, -224, -308, -223, -239, -254).requestAll(false);
                assertEquals(0, awaitPicture(v, W, H, (x, y) -> picture(x, y, 3)));
                assertTrue(v.encodingsSeen().contains(7) && !v.encodingsSeen().contains(0), "Tight rectangles: " + v.encodingsSeen());
                assertTrue(v.lastRects() > 0, "LastRect closes the updates");
                assertTrue(v.extendedDesktopSizes() > 0, "a non-incremental request is answered with ExtendedDesktopSize");

                // a solid area goes as Fill: a new, larger mode of one colour plus the picture in a corner
                int w2 = 640, h2 = 400;
                Backing bk2 = r.rig.gpu().createWithBacking(2, B8G8R8X8, w2, h2);
                bk2.fillRect(0, 0, w2, h2, w2 * 4L, (x, y) -> x < 64 && y < 64 ? picture(x, y, 5) : 0x00336699);
                r.rig.gpu().transfer(2, 0, 0, w2, h2);
                r.rig.gpu().setScanout(0, 2, 0, 0, w2, h2);
                r.rig.gpu().flush(2, 0, 0, w2, h2);
                int eds = v.extendedDesktopSizes();
                v.requestAll(true);
                assertEquals(0, awaitPicture(v, w2, h2, (x, y) -> x < 64 && y < 64 ? picture(x, y, 5) : 0x336699));
                assertTrue(v.extendedDesktopSizes() > eds, "the resize came as ExtendedDesktopSize");
                assertEquals(0, v.lastEdsReason(), "reason: the server");

                // the guest's cursor: 64x64, hotspot, mask from alpha
                Backing cur = r.rig.gpu().createWithBacking(3, 1 /* B8G8R8A8 */, 64, 64);
                cur.fillRect(0, 0, 64, 64, 256, (x, y) -> x < 32 && y < 16 ? 0xFFFF0000 : 0x00000000);
                r.rig.gpu().transfer(3, 0, 0, 64, 64);
                assertEquals(0x1100, r.rig.gpu().updateCursor(0, 10, 20, 3, 5, 6).type());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while ((v.cursor() == null || v.cursor().width() != 64) && System.nanoTime() < deadline) {
                    v.requestAll(true);
                    v.readMessage();
                }
                assertNotNull(v.cursor(), "a Cursor pseudo-encoding rectangle");
                assertEquals(5, v.cursor().hotX());
                assertEquals(6, v.cursor().hotY());
                assertEquals(64, v.cursor().width());
                assertEquals(0xFF0000, v.cursor().rgb()[0]);
                assertEquals((byte) 0xFF, v.cursor().mask()[0], "opaque pixels are in the mask");
                assertEquals(0, v.cursor().mask()[4], "transparent ones are not");
            }
        }
    }

    @Test
    void viewersWithoutTheCursorEncodingGetTheCursorDrawnIntoThePicture() throws Exception {
        try (VncRig r = new VncRig(VncRig.unixNoAuth())) {
            draw(r.rig.gpu(), 1, B8G8R8X8, W, H, 0);
            Backing cur = r.rig.gpu().createWithBacking(3, 1 /* B8G8R8A8 */, 64, 64);
            // opaque red top-left quarter, half-transparent green below it, the rest transparent
            cur.fillRect(0, 0, 64, 64, 256, (x, y) -> x < 32 && y < 32 ? 0xFFFF0000 : x < 32 && y < 48 ? 0x8000FF00 : 0);
            r.rig.gpu().transfer(3, 0, 0, 64, 64);
            assertEquals(0x1100, r.rig.gpu().updateCursor(0, 100, 50, 3, 4, 2).type()); // image at (96, 48)
            try (RfbViewer v = r.viewer().handshake(8, null)) {
                v.setEncodings(0).requestAll(false); // no Cursor pseudo-encoding
                assertEquals(0, awaitPicture(v, W, H, cursorAt(96, 48)));
                // the guest moves it: the old place is restored, the new one drawn
                assertEquals(0x1100, r.rig.gpu().moveCursor(0, 204, 102, 3).type()); // image at (200, 100)
                v.requestAll(true);
                assertEquals(0, awaitPicture(v, W, H, cursorAt(200, 100)));
                // hidden: the picture alone
                assertEquals(0x1100, r.rig.gpu().updateCursor(0, 204, 102, 0, 0, 0).type());
                v.requestAll(true);
                assertEquals(0, awaitPicture(v, W, H, (x, y) -> picture(x, y, 0)));
            }
        }
    }

    /** The picture with the test cursor's image blended in at (x0, y0). */
    static IntBinaryOperator cursorAt(int x0, int y0) {
        return (x, y) -> {
            int cx = x - x0, cy = y - y0;
            if (cx >= 0 && cx < 32 && cy >= 0 && cy < 32) return 0xFF0000;
            if (cx >= 0 && cx < 32 && cy >= 32 && cy < 48) return blend(0x00FF00, picture(x, y, 0), 0x80);
            return picture(x, y, 0);
        };
    }

    static int blend(int src, int dst, int a) {
        int r = ((src >>> 16 & 255) * a + (dst >>> 16 & 255) * (255 - a) + 127) / 255;
        int g = ((src >>> 8 & 255) * a + (dst >>> 8 & 255) * (255 - a) + 127) / 255;
        int b = ((src & 255) * a + (dst & 255) * (255 - a) + 127) / 255;
        return r << 16 | g << 8 | b;
    }

    /** Few colours: a two-colour checkerboard on the left, five-colour stripes on the right (Tight's palette filter). */
    static int fewColours(int x, int y) {
        if (x < W / 2) return ((x / 3 + y / 2) & 1) == 0 ? 0x102030 : 0xE0D0C0;
        int[] five = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFFFF, 0x808080};
        return five[(x + y) % 5];
    }

    @Test
    void tightPalettesOfTwoAndOfSeveralColoursInTwoFormats() throws Exception {
        try (VncRig r = new VncRig(VncRig.unixNoAuth())) {
            Backing bk = r.rig.gpu().createWithBacking(1, B8G8R8X8, W, H);
            bk.fillRect(0, 0, W, H, W * 4L, VncViewerTest::fewColours);
            r.rig.gpu().transfer(1, 0, 0, W, H);
            r.rig.gpu().setScanout(0, 1, 0, 0, W, H);
            r.rig.gpu().flush(1, 0, 0, W, H);
            for (RfbViewer.Format f : new RfbViewer.Format[] {RfbViewer.Format.RGBX, RfbViewer.Format.RGB565_BE}) {
                try (RfbViewer v = r.viewer().handshake(8, null)) {
                    v.setPixelFormat(f).setEncodings(7).requestAll(false);
                    assertEquals(0, awaitPicture(v, W, H, (x, y) -> f.quantize(fewColours(x, y))), f.toString());
                    assertTrue(v.tightPalettes() > 0, "palette rectangles");
                }
            }
        }
    }

    /** Bytes one full update of the guest end-to-end test's patterns takes in Raw and in Tight (printed: a figure, not a bound). */
    @Test
    void bytesPerFrameOfTheEndToEndPatterns() throws Exception {
        int w = 1280, h = 800;
        try (VncRig r = new VncRig(VncRig.unixNoAuth())) {
            Backing bk = r.rig.gpu().createWithBacking(1, B8G8R8X8, w, h);
            r.rig.gpu().setScanout(0, 1, 0, 0, w, h);
            StringBuilder line = new StringBuilder("bytes per 1280x800 frame:");
            for (dev.panamavgpu.testguest.vm.Patterns.Pattern p : dev.panamavgpu.testguest.vm.Patterns.Pattern.values()) {
                bk.fillRect(0, 0, w, h, w * 4L, (x, y) -> dev.panamavgpu.testguest.vm.Patterns.pixel(p, x, y, w, h));
                r.rig.gpu().transfer(1, 0, 0, w, h);
                r.rig.gpu().flush(1, 0, 0, w, h);
                line.append(" pattern ").append(p);
                for (int enc : new int[] {0, 7}) {
                    try (RfbViewer v = r.viewer().handshake(8, null)) {
                        v.setPixelFormat(RfbViewer.Format.RGBX).setEncodings(enc).requestAll(false);
                        long before = v.bytesRead(), t0 = System.nanoTime();
                        v.readMessage();
                        long ms = (System.nanoTime() - t0) / 1_000_000;
                        assertEquals(0, differing(v, w, h, (x, y) -> dev.panamavgpu.testguest.vm.Patterns.pixel(p, x, y, w, h)));
                        line.append(enc == 0 ? " Raw " : " Tight ").append(v.bytesRead() - before).append(" B (").append(ms).append(" ms)");
                    }
                }
            }
            System.out.println(line);
        }
    }

    @Test
    void sixteenBitFormatsBothEndiannessesAndRfb33() throws Exception {
        try (VncRig r = new VncRig(VncRig.unixNoAuth())) {
            draw(r.rig.gpu(), 1, B8G8R8X8, W, H, 1);
            for (RfbViewer.Format f : new RfbViewer.Format[] {RfbViewer.Format.RGB565, RfbViewer.Format.RGB565_BE}) {
                for (int minor : new int[] {3, 7, 8}) {
                    for (int enc : new int[] {0, 7}) {
                        try (RfbViewer v = r.viewer().handshake(minor, null)) {
                            v.setPixelFormat(f).setEncodings(enc).requestAll(false);
                            assertEquals(0, awaitPicture(v, W, H, (x, y) -> f.quantize(picture(x, y, 1))), f + " RFB 3." + minor + " enc " + enc);
                        }
                    }
                }
            }
        }
    }

    @Test
    void vncAuthenticationOnTcp() throws Exception {
        byte[] password = "s3cret-and-more".getBytes(StandardCharsets.US_ASCII); // only "s3cret-a" counts
        VncConfig c = VncConfig.of(new VncAddress.Tcp("127.0.0.1", 0), password, false);
        try (VncRig r = new VncRig(c)) {
            draw(r.rig.gpu(), 1, B8G8R8X8, W, H, 2);
            try (RfbViewer v = r.viewer().handshake(8, "s3cret-a".getBytes(StandardCharsets.US_ASCII))) {
                v.setEncodings(7).requestAll(false);
                assertEquals(0, awaitPicture(v, W, H, (x, y) -> picture(x, y, 2)));
            }
            try (RfbViewer v = r.viewer()) {
                IOException e = assertThrows(IOException.class, () -> v.handshake(8, "wrong".getBytes(StandardCharsets.US_ASCII)));
                assertEquals("authentication failed: authentication failed", e.getMessage());
            }
            try (RfbViewer v = r.viewer()) {
                IOException e = assertThrows(IOException.class, () -> v.handshake(8, null));
                assertEquals("the server wants a password", e.getMessage(), "only VNC authentication is offered");
            }
            try (RfbViewer v = r.viewer()) { // RFB 3.3: the server picks the type
                v.handshake(3, password).setEncodings(0).requestAll(false);
                assertEquals(0, awaitPicture(v, W, H, (x, y) -> picture(x, y, 2)));
            }
        }
    }

    @Test
    void viewersBeyondTheMaximumAreTurnedAwayWithAReason() throws Exception {
        try (VncRig r = new VncRig(VncRig.unixNoAuth().withMaxViewers(2))) {
            draw(r.rig.gpu(), 1, B8G8R8X8, W, H, 0);
            try (RfbViewer a = r.viewer().handshake(8, null); RfbViewer b = r.viewer().handshake(8, null);
                 RfbViewer c = r.viewer()) {
                IOException e = assertThrows(IOException.class, () -> c.handshake(8, null));
                assertEquals("refused: too many viewers", e.getMessage());
            }
        }
    }
}
