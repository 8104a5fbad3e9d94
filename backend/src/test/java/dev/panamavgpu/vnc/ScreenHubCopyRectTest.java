package dev.panamavgpu.vnc;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.gpu.display.DamageRect;
import dev.panamavgpu.gpu.display.DamageSource;
import dev.panamavgpu.gpu.protocol.DisplayCursorPos;
import dev.panamavgpu.vhostuser.loop.EventLoop;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * CopyRect against a model: a screen of ints the "device" draws on and copies within, and a viewer's
 * framebuffer that applies each frame as an RFB viewer does (copies in order, then the pixels). After
 * the viewer has caught up, its framebuffer must equal the screen, whatever the mix of damage,
 * copies, chains of copies, requests and slow sends.
 */
class ScreenHubCopyRectTest {
    static final int W = 96, H = 64;
    private static final ValueLayout.OfInt PX = ValueLayout.JAVA_INT_UNALIGNED;

    /** The device's screen. */
    static final class Screen implements DamageSource {
        final int[] px = new int[W * H];

        @Override
        public boolean render(int id, DamageRect r, MemorySegment out) {
            for (long y = 0; y < r.height(); y++)
                for (long x = 0; x < r.width(); x++) out.setAtIndex(PX, y * r.width() + x, px[(int) ((r.y() + y) * W + r.x() + x)]);
            return true;
        }

        void fill(int x, int y, int w, int h, int c) {
            for (int r = y; r < y + h; r++) Arrays.fill(px, r * W + x, r * W + x + w, c);
        }

        /** What COPY_BITS does: the source is read before any of the destination is written. */
        void copy(int x, int y, int w, int h, int sx, int sy) {
            int[] old = px.clone();
            for (int r = 0; r < h; r++) System.arraycopy(old, (sy + r) * W + sx, px, (y + r) * W + x, w);
        }
    }

    /** A viewer's framebuffer, applying frames as they come (the test's loop thread is its writer). */
    static final class Model {
        final int[] fb = new int[W * H];
        int frames, copyRects;
        Frame pending;

        void accept(Frame f) {
            pending = f;
        }

        void apply() {
            Frame f = pending;
            pending = null;
            if (f == null) return;
            frames++;
            for (CopyRect c : f.copies()) { // RFB: the viewer copies from what it shows, source before destination
                copyRects++;
                DamageRect d = c.dst();
                int[] old = fb.clone();
                for (long r = 0; r < d.height(); r++)
                    System.arraycopy(old, (int) ((c.srcY() + r) * W + c.srcX()), fb, (int) ((d.y() + r) * W + d.x()), (int) d.width());
            }
            DamageRect r = f.rect();
            if (r != null)
                for (long y = 0; y < r.height(); y++)
                    for (long x = 0; x < r.width(); x++)
                        fb[(int) ((r.y() + y) * W + r.x() + x)] = f.pixels().getAtIndex(PX, y * r.width() + x) & 0xffffff;
        }
    }

    static void turn(EventLoop loop) throws Exception {
        for (int i = 0; i < 4; i++) loop.runOnce();
    }

    private static ScreenHub hub(EventLoop loop, Screen s) {
        ScreenHub hub = new ScreenHub(loop, 0, 1 << 20);
        hub.attached(s);
        hub.scanout(0, W, H);
        return hub;
    }

    private static ViewerScreen join(ScreenHub hub, EventLoop loop, Model m, boolean copyRect) throws Exception {
        ViewerScreen v = new ViewerScreen(m::accept);
        hub.join(v);
        hub.capabilities(v, true, true, copyRect);
        hub.request(v, false, 0, 0, W, H);
        turn(loop);
        m.apply();
        hub.sent(v);
        turn(loop);
        return v;
    }

    /** Requests until nothing more comes; the viewer must then show the screen. */
    private static void catchUp(ScreenHub hub, EventLoop loop, ViewerScreen v, Model m) throws Exception {
        for (int i = 0; i < 20; i++) {
            if (m.pending != null) {
                m.apply();
                hub.sent(v);
            }
            hub.request(v, true, 0, 0, W, H);
            turn(loop);
        }
        m.apply();
    }

    @Test
    void aCopyOfCleanPixelsIsSentAsCopyRectAndAChainStaysExact() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            Screen s = new Screen();
            for (int i = 0; i < s.px.length; i++) s.px[i] = i * 2654435 & 0xffffff; // every pixel different
            ScreenHub hub = hub(loop, s);
            Model m = new Model();
            ViewerScreen v = join(hub, loop, m, true);
            assertArrayEquals(s.px, m.fb);
            // a chain: A -> B, then B -> C (C's source is B's new content), then an overlapping scroll up
            s.copy(40, 0, 16, 16, 0, 0);
            hub.copy(0, new DamageRect(40, 0, 16, 16), 0, 0);
            s.copy(40, 30, 16, 16, 40, 0);
            hub.copy(0, new DamageRect(40, 30, 16, 16), 40, 0);
            s.copy(0, 0, W, H - 8, 0, 8);
            hub.copy(0, new DamageRect(0, 0, W, H - 8), 0, 8);
            hub.request(v, true, 0, 0, W, H);
            turn(loop);
            Frame f = m.pending;
            assertNotNull(f);
            assertEquals(3, f.copies().size(), "three CopyRects");
            assertNull(f.rect(), "and no pixels at all");
            m.apply();
            assertArrayEquals(s.px, m.fb, "the viewer's picture after the CopyRects is the screen");
            assertEquals(3, hub.figures().copyRects());
        }
    }

    @Test
    void aCopyFromPixelsTheViewerHasNotSeenIsSentAsPixels() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            Screen s = new Screen();
            ScreenHub hub = hub(loop, s);
            Model m = new Model();
            ViewerScreen v = join(hub, loop, m, true);
            s.fill(0, 0, 10, 10, 0x123456);        // damage the viewer has not been sent
            hub.damage(0, new DamageRect(0, 0, 10, 10));
            s.copy(50, 50, 10, 10, 5, 5);          // its source overlaps that damage
            hub.copy(0, new DamageRect(50, 50, 10, 10), 5, 5);
            hub.request(v, true, 0, 0, W, H);
            turn(loop);
            assertTrue(m.pending.copies().isEmpty(), "degraded: the viewer does not have the source yet");
            m.apply();
            assertArrayEquals(s.px, m.fb);
            assertEquals(1, hub.figures().copyRectsDegraded());
            // a viewer that did not ask for CopyRect never gets one
            Model plain = new Model();
            ViewerScreen p = join(hub, loop, plain, false);
            s.copy(0, 30, 8, 8, 0, 0);
            hub.copy(0, new DamageRect(0, 30, 8, 8), 0, 0);
            hub.request(p, true, 0, 0, W, H);
            turn(loop);
            assertTrue(plain.pending.copies().isEmpty());
            plain.apply();
            assertArrayEquals(s.px, plain.fb);
        }
    }

    @Test
    void copiesTheWriterCouldNotSendGoOutAsPixels() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            Screen s = new Screen();
            for (int i = 0; i < s.px.length; i++) s.px[i] = i * 40503 & 0xffffff;
            ScreenHub hub = hub(loop, s);
            Model m = new Model();
            ViewerScreen v = join(hub, loop, m, true);
            s.copy(50, 30, 20, 20, 0, 0);
            hub.copy(0, new DamageRect(50, 30, 20, 20), 0, 0);
            hub.request(v, true, 0, 0, W, H);
            turn(loop);
            Frame f = m.pending;
            assertEquals(1, f.copies().size());
            // the viewer dropped CopyRect before its writer got to this frame: the copy is not sent
            m.pending = new Frame(f.width(), f.height(), f.resized(), f.rect(), f.pixels(), f.cursor(), java.util.List.of());
            m.apply();
            assertNotEquals(s.px[30 * W + 50], m.fb[30 * W + 50], "the viewer lacks the copy");
            hub.unsent(v, f.copies());
            hub.sent(v);
            hub.capabilities(v, true, true, false);
            catchUp(hub, loop, v, m);
            assertArrayEquals(s.px, m.fb, "its area came as pixels");
        }
    }

    @Test
    void aCursorDrawnIntoTheViewersPixelsIsNeverCopiedAlong() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            Screen s = new Screen();
            ScreenHub hub = hub(loop, s);
            Model m = new Model();
            ViewerScreen v = join(hub, loop, m, true);
            hub.capabilities(v, true, false, true); // it wants the cursor drawn in
            int[] img = new int[64 * 64];
            Arrays.fill(img, 0xff00ff00);
            hub.cursorImage(new DisplayCursorPos(0, 0, 0), 0, 0, MemorySegment.ofArray(img));
            catchUp(hub, loop, v, m);
            assertEquals(0x00ff00, m.fb[0], "the cursor is drawn in");
            s.copy(70, 0, 20, 20, 0, 0); // from under the cursor
            hub.copy(0, new DamageRect(70, 0, 20, 20), 0, 0);
            catchUp(hub, loop, v, m);
            assertEquals(0, m.copyRects, "sent as pixels");
            assertEquals(s.px[70], m.fb[70], "the copy shows the screen, not the cursor");
        }
    }

    @Test
    void randomDrawingCopyingAndSlowSendsAlwaysEndOnTheScreen() throws Exception {
        long sentAsCopyRect = 0, degraded = 0;
        for (long seed = 1; seed <= 40; seed++) {
            Random rnd = new Random(seed);
            try (EventLoop loop = new EventLoop()) {
                Screen s = new Screen();
                ScreenHub hub = hub(loop, s);
                Model m = new Model();
                ViewerScreen v = join(hub, loop, m, true);
                for (int step = 0; step < 200; step++) {
                    int w = 1 + rnd.nextInt(W / 2), h = 1 + rnd.nextInt(H / 2);
                    int x = rnd.nextInt(W - w + 1), y = rnd.nextInt(H - h + 1);
                    switch (rnd.nextInt(6)) {
                        case 0 -> {
                            s.fill(x, y, w, h, rnd.nextInt(1 << 24));
                            hub.damage(0, new DamageRect(x, y, w, h));
                        }
                        case 1, 2 -> {
                            int sx = rnd.nextInt(W - w + 1), sy = rnd.nextInt(H - h + 1);
                            s.copy(x, y, w, h, sx, sy);
                            hub.copy(0, new DamageRect(x, y, w, h), sx, sy);
                        }
                        case 3 -> hub.request(v, rnd.nextInt(8) != 0, 0, 0, W, H); // now and then a full one
                        case 4 -> { // the writer sends what it has (or is still busy)
                            if (m.pending != null && rnd.nextBoolean()) {
                                m.apply();
                                hub.sent(v);
                            }
                        }
                        default -> turn(loop);
                    }
                }
                turn(loop);
                catchUp(hub, loop, v, m);
                assertArrayEquals(s.px, m.fb, "seed " + seed);
                sentAsCopyRect += m.copyRects;
                degraded += hub.figures().copyRectsDegraded();
            }
        }
        assertTrue(sentAsCopyRect > 100, "the runs sent CopyRects: " + sentAsCopyRect);
        assertTrue(degraded > 100, "and degraded copies to pixels: " + degraded);
    }
}
