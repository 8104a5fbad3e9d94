package dev.panamavgpu.testguest.vncbench;

import dev.panamavgpu.testguest.backend.BackendCommand;
import dev.panamavgpu.testguest.backend.ProcStatus;
import dev.panamavgpu.testguest.bench.BenchSession;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 13's slow-viewer figures, on our backend process with the in-JVM guest flipping 1920x1080 frames, all
 * viewers Raw: the guest's frame rate with no viewer, with only a viewer that reads slowly (1 MB/s in the full
 * plan), with a fast viewer alone, beside the slow one, and beside it and viewers that stopped reading; the fast
 * viewer's frame rate in each; the backend's RSS growth per viewer that stopped reading; and, once the guest stops, how long the slow viewer takes to hold
 * the guest's last picture, compared pixel by pixel.
 */
final class SlowViewerBench {
    static final int W = 1920, H = 1080;
    /** Viewers that stop reading, added together for the memory figure. */
    static final int STALLED = 4;
    /** A viewer that read nothing for this long after the guest stopped has everything the server will send it. */
    static final long QUIET_MILLIS = 1_500;

    record Result(long slowBytesPerSecond, double guestAlone, double fastAlone, double guestWithFast, double guestWithSlow,
                  double slowToNone, int pairs, double slowBytesPerSecondSeen, double fastWithSlow, double guestWithFastAndSlow, double fastWithStalled,
                  double guestWithStalled, double rssBeforeMib, double rssStalledMib, int stalled, double catchUpSeconds,
                  long mismatchedPixels, double loadBefore, double loadAfter) {
        String text() {
            return String.format(Locale.ROOT, """
                    slow viewer (our backend, in-JVM guest flipping %dx%d, Raw; load average %.2f before, %.2f after):
                      guest frames/s (medians of %d alternating windows): no viewer %.1f; a slow viewer (%.1f MB/s) alone %.1f; median ratio %.0f %% of no viewer
                      guest frames/s: a fast viewer alone %.1f; fast + slow %.1f = %.0f %% of fast alone; fast + slow + %d stopped %.1f = %.0f %%
                      fast viewer frames/s: alone %.1f; beside the slow viewer %.1f = %.0f %%; beside it and %d stopped viewers %.1f = %.0f %%
                      slow viewer: %.2f MB/s received while alone with the guest
                      backend RSS: %.1f MiB with the fast and the slow viewer, %.1f MiB with %d more that stopped reading: %.1f MiB per viewer
                      after the guest stopped: the slow viewer read its last byte %.1f s later; its picture then: %d pixels different from the guest's last
                    """, W, H, loadBefore, loadAfter, pairs, guestAlone, slowBytesPerSecond / 1e6, guestWithSlow, 100 * slowToNone,
                    guestWithFast, guestWithFastAndSlow, 100 * guestWithFastAndSlow / guestWithFast, stalled, guestWithStalled,
                    100 * guestWithStalled / guestWithFast, fastAlone, fastWithSlow, 100 * fastWithSlow / fastAlone, stalled, fastWithStalled,
                    100 * fastWithStalled / fastAlone, slowBytesPerSecondSeen / 1e6, rssBeforeMib, rssStalledMib, stalled,
                    (rssStalledMib - rssBeforeMib) / stalled, catchUpSeconds, mismatchedPixels);
        }
    }

    /** Alternating no-viewer / slow-viewer windows for the guest-rate ratio. */
    static final int PAIRS = 3;

    private SlowViewerBench() {}

    static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static Result run(BackendCommand ours, VncBenchPlan plan, Path dir) throws IOException, InterruptedException {
        Path vnc = dir.resolve("ours-slow.vnc");
        Files.deleteIfExists(vnc);
        UnixDomainSocketAddress a = UnixDomainSocketAddress.of(vnc);
        List<String> argv = new ArrayList<>(ours.argv());
        argv.add("--vnc=unix:" + vnc);
        double load0 = LoadAverage.now();
        try (BenchSession s = BenchSession.start(new BackendCommand(ours.label() + "-slow", argv), dir, 64L << 20);
             FlipLoop guest = new FlipLoop(s, 1, W, H)) {
            long[] pid = {s.backend().pid()};
            long warm = plan.warmMillis(), win = plan.windowMillis();
            guest.start();
            Thread.sleep(warm);
            // The guest's rate with and without the slow viewer, in alternating windows: the machine's load drifts
            // within a run, and one window each would measure the drift rather than the viewer.
            double[] none = new double[PAIRS], withSlowOnly = new double[PAIRS], ratio = new double[PAIRS], slowRate = new double[PAIRS];
            for (int i = 0; i < PAIRS; i++) {
                none[i] = Window.measure(null, pid, guest, W, H, win).guestFps();
                try (ViewerLoop slow = new ViewerLoop(RfbViewer.open(a, RfbViewer.RAW), plan.slowBytesPerSecond())) {
                    Thread.sleep(warm);
                    long b0 = slow.viewer().bytesRead(), t0 = System.nanoTime();
                    withSlowOnly[i] = Window.measure(null, pid, guest, W, H, win).guestFps();
                    slowRate[i] = (slow.viewer().bytesRead() - b0) / ((System.nanoTime() - t0) / 1e9);
                }
                ratio[i] = withSlowOnly[i] / none[i];
                Thread.sleep(warm);
            }
            Window fastAlone;
            try (ViewerLoop fast = new ViewerLoop(RfbViewer.open(a, RfbViewer.RAW), 0)) {
                Thread.sleep(warm);
                fastAlone = Window.measure(fast, pid, guest, W, H, win);
            }
            try (ViewerLoop slow = new ViewerLoop(RfbViewer.open(a, RfbViewer.RAW), plan.slowBytesPerSecond())) {
                try (ViewerLoop fast = new ViewerLoop(RfbViewer.open(a, RfbViewer.RAW), 0)) {
                    Thread.sleep(warm);
                    Window withSlow = Window.measure(fast, pid, guest, W, H, win);
                    double rss0 = s.status().rssMib();
                    List<RfbViewer> stopped = new ArrayList<>();
                    try {
                        // measured within the server's stall time (10 s by default), after which they would be dropped
                        for (int i = 0; i < STALLED; i++) {
                            RfbViewer v = RfbViewer.open(a, RfbViewer.RAW);
                            stopped.add(v);
                            v.requestAll(false); // and never reads: its first update fills the socket, its copy stays
                        }
                        Thread.sleep(warm);
                        Window withStalled = Window.measure(fast, pid, guest, W, H, win);
                        double rss1 = s.status().rssMib();
                        int last = guest.stopAndJoin();
                        CatchUp c = awaitQuiet(slow, last, 60_000);
                        s.assertAlive("the slow-viewer bench");
                        return new Result(plan.slowBytesPerSecond(), median(none), fastAlone.fps(), fastAlone.guestFps(), median(withSlowOnly),
                                median(ratio), PAIRS, median(slowRate), withSlow.fps(), withSlow.guestFps(), withStalled.fps(), withStalled.guestFps(), rss0, rss1, STALLED,
                                c.seconds(), c.wrongPixels(), load0, LoadAverage.now());
                    } finally {
                        for (RfbViewer v : stopped) v.close();
                    }
                }
            }
        }
    }

    /** How long the viewer kept reading after the guest stopped, and the pixels then different from the last picture. */
    record CatchUp(double seconds, long wrongPixels) {}

    /**
     * Waits (at most {@code millis}) until the viewer has read nothing for {@link #QUIET_MILLIS}: no update is in
     * flight and the server has nothing newer for it. Then its picture is compared with buffer {@code which}.
     */
    private static CatchUp awaitQuiet(ViewerLoop v, int which, long millis) throws IOException, InterruptedException {
        long t0 = System.nanoTime(), deadline = t0 + millis * 1_000_000, bytes = v.viewer().bytesRead(), lastChange = t0;
        while (System.nanoTime() < deadline && System.nanoTime() - lastChange < QUIET_MILLIS * 1_000_000) {
            Thread.sleep(20);
            long b = v.viewer().bytesRead();
            if (b != bytes) {
                bytes = b;
                lastChange = System.nanoTime();
            }
        }
        v.snapshot(); // throws if the viewer failed
        return new CatchUp((lastChange - t0) / 1e9, differing(v.viewer(), which));
    }

    private static long differing(RfbViewer v, int which) {
        long wrong = 0;
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) if (v.rgbAt(x, y) != FlipLoop.picture(which, x, y)) wrong++;
        return wrong;
    }
}
