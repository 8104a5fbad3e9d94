package dev.panamavgpu.testguest.vnc;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.testguest.driver.Backing;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.vncbench.RfbViewer;
import dev.panamavgpu.vnc.VncFigures;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A viewer that stops reading never slows the guest or the other viewers: it is dropped once its
 * socket took nothing for the stall time, while the guest keeps flushing a 1280x800 screen and a
 * second viewer keeps getting frames. A viewer that pauses for less than that gets the newest
 * picture, exact, once it reads again.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SlowViewerTest {
    static final int W = 1280, H = 800;

    /** Full-screen FLUSHes for {@code millis}; returns {count, worst latency in µs}. */
    static long[] flushFor(GpuDriver gpu, long millis) throws IOException {
        long end = System.nanoTime() + millis * 1_000_000, n = 0, worst = 0;
        while (System.nanoTime() < end) {
            long t = System.nanoTime();
            assertEquals(0x1100, gpu.flush(1, 0, 0, W, H).type());
            worst = Math.max(worst, System.nanoTime() - t);
            n++;
        }
        return new long[] {n, worst / 1000};
    }

    /** A viewer on a thread of its own that asks for the next update as soon as it has one. */
    static final class FastViewer implements AutoCloseable {
        final RfbViewer v;
        final AtomicLong frames = new AtomicLong();
        final AtomicBoolean failed = new AtomicBoolean();
        final Thread t;

        FastViewer(VncRig r) throws Exception {
            v = r.viewer().handshake(8, null);
            v.setEncodings(0).requestAll(false);
            t = Thread.ofPlatform().name("fast-viewer").start(() -> {
                try {
                    while (true) {
                        v.readMessage();
                        frames.incrementAndGet();
                        v.requestAll(true);
                    }
                } catch (IOException e) {
                    // closed
                }
            });
        }

        @Override
        public void close() throws IOException {
            v.close();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void aViewerThatStopsReadingIsDroppedWhileTheGuestAndAFastViewerGoOn() throws Exception {
        try (VncRig r = new VncRig(VncRig.unixNoAuth().withStallTimeout(Duration.ofSeconds(2)))) {
            GpuDriver gpu = r.rig.gpu();
            Backing bk = gpu.createWithBacking(1, 2, W, H);
            VncViewerTest.paint(bk, 2, 0, 0, W, H, W, 4);
            gpu.transfer(1, 0, 0, W, H);
            gpu.setScanout(0, 1, 0, 0, W, H);

            long[] alone = flushFor(gpu, 1500);

            try (FastViewer fast = new FastViewer(r); RfbViewer slow = r.viewer().handshake(8, null)) {
                slow.setEncodings(0).requestAll(false); // and never reads again: its 4 MB update fills the socket
                long f0 = fast.frames.get(), t0 = System.nanoTime();
                long[] withSlow = flushFor(gpu, 2500); // the slow viewer is dropped 2 s after its socket filled
                double fastWithSlow = (fast.frames.get() - f0) / ((System.nanoTime() - t0) / 1e9);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (r.vnc.viewerCount() > 1 && System.nanoTime() < deadline) Thread.sleep(50);
                assertEquals(1, r.vnc.viewerCount(), "the viewer that stopped reading is dropped after the stall time");

                long f1 = fast.frames.get(), t1 = System.nanoTime();
                long[] fastOnly = flushFor(gpu, 1500);
                double fastAlone = (fast.frames.get() - f1) / ((System.nanoTime() - t1) / 1e9);
                VncFigures fig = r.hub.figures();
                System.out.printf(Locale.ROOT, "slow viewer: guest flushes/s alone %.0f, with a stalled and a fast viewer %.0f, with the fast one %.0f;"
                                + " worst flush %d / %d / %d us; fast viewer frames/s with the stalled one %.1f, alone %.1f;"
                                + " loop-thread copies %d, %.1f MiB, mean %.2f ms, max %.2f ms%n",
                        alone[0] / 1.5, withSlow[0] / 2.5, fastOnly[0] / 1.5, alone[1], withSlow[1], fastOnly[1], fastWithSlow, fastAlone,
                        fig.copies(), fig.copiedBytes() / 1048576.0, fig.copyNanos() / 1e6 / Math.max(1, fig.copies()), fig.maxCopyNanos() / 1e6);
                // a FLUSH that waited for the stalled viewer would take its 2 s stall time; load alone made 0.3 s here
                assertTrue(withSlow[1] < 1_500_000, "no FLUSH waited for a viewer: worst " + withSlow[1] + " us");
                assertTrue(fast.frames.get() > 5, "the fast viewer kept getting frames");
                // a shared 2-core machine: the bounds are loose, the printed figures are the result
                assertTrue(fastWithSlow >= 0.3 * fastAlone, "fast viewer: " + fastWithSlow + " frames/s beside the stalled one, " + fastAlone + " alone");
                // the guest's FLUSH rate is printed, not asserted: on 2 shared cores it follows the other builds' load
            }
        }
    }

    @Test
    void aViewerThatPausesGetsTheNewestPictureExactlyWhenItReadsAgain() throws Exception {
        try (VncRig r = new VncRig(VncRig.unixNoAuth().withStallTimeout(Duration.ofSeconds(5)))) {
            GpuDriver gpu = r.rig.gpu();
            Backing bk = gpu.createWithBacking(1, 2, W, H);
            VncViewerTest.paint(bk, 2, 0, 0, W, H, W, 0);
            gpu.transfer(1, 0, 0, W, H);
            gpu.setScanout(0, 1, 0, 0, W, H);
            gpu.flush(1, 0, 0, W, H);
            try (RfbViewer v = r.viewer().handshake(8, null)) {
                v.setEncodings(0).requestAll(false).requestAll(true); // then it does not read for a while
                for (int salt = 1; salt <= 20; salt++) { // the guest draws 20 pictures meanwhile
                    VncViewerTest.paint(bk, 2, 100, 100, 400, 300, W, salt);
                    gpu.transfer(1, 0, 0, W, H);
                    gpu.flush(1, 100, 100, 400, 300);
                    Thread.sleep(25);
                }
                assertEquals(0, VncViewerTest.awaitPicture(v, W, H,
                        (x, y) -> x >= 100 && x < 500 && y >= 100 && y < 400 ? VncViewerTest.picture(x, y, 20) : VncViewerTest.picture(x, y, 0)));
                assertTrue(v.updates() <= 6, "damage merged, not queued: " + v.updates() + " updates for 20 pictures");
            }
        }
    }
}
