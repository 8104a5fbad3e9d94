package dev.panamavgpu.testguest.vncbench;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.testguest.backend.BackendCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code test-guest vncbench --quick} against our backend process, so the VNC bench keeps working: every figure
 * is measured and sane, never how fast anything is. One check is about correctness, not speed: the slow viewer
 * ends with the guest's last picture, exactly.
 */
class QuickVncBenchTest {
    @Test
    void quickVncBenchMeasuresEveryFigureForOurBackend() throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent();
        BackendCommand ours = BackendCommand.parse(repo.resolve("scripts/panama-vgpu").toString());
        Path dir = Files.createDirectories(Path.of("target", "quick-vncbench").toAbsolutePath());
        VncBenchReport r = VncBench.run(ours, VncBenchPlan.quick(), null, dir, null);
        System.out.print(r.text());
        assertEquals(VncBenchPlan.SIZES.size() * (1 + Encodings.MEASURED.size()), r.rows().size(), "no viewer, Raw, Tight per size");
        long pixels = 0;
        for (Row row : r.rows()) {
            Window w = row.window();
            assertTrue(w.guestFps() > 0, row + ": the guest made frames");
            assertTrue(w.cpuSeconds() >= 0 && w.bytes() >= 0 && w.seconds() > 0, row.toString());
            pixels += w.pixels();
        }
        assertTrue(pixels > 0, "the viewers received pixels");
        SlowViewerBench.Result s = r.slow();
        assertNotNull(s);
        assertTrue(s.guestAlone() > 0 && s.fastAlone() > 0 && s.rssStalledMib() > 0, s.text());
        assertEquals(0, s.mismatchedPixels(), "the slow viewer ends with the guest's last picture: " + s.text());
        assertEquals(SlowViewerBench.PAIRS, s.pairs());
        assertTrue(s.slowToNone() > 0, s.text());
    }

    @Test
    void theGuestRateRatioIsAMedianOfPairs() {
        assertEquals(2.0, SlowViewerBench.median(new double[] {9, 1, 2}));
        assertEquals(2.5, SlowViewerBench.median(new double[] {4, 1, 3, 2}));
    }

    /** The anchor's machinery: drmtest's flip mode at 1080p behind QEMU's own VNC server and behind ours, short windows. */
    @Test
    void aRealGuestFlipsBehindBothVncServers() throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent();
        Path out = Files.createDirectories(Path.of("target", "quick-vncbench-vm").toAbsolutePath());
        Path guest = out.resolve("guest");
        Process build = new ProcessBuilder(repo.resolve("test-guest/guest/build-initramfs").toString(), guest.toString()).inheritIO().start();
        assertTrue(build.waitFor(600, TimeUnit.SECONDS) && build.exitValue() == 0, "building the test guest");
        BackendCommand ours = BackendCommand.parse(repo.resolve("scripts/panama-vgpu").toString());
        VncBenchPlan plan = new VncBenchPlan(List.of(VncBenchPlan.SIZES.getFirst()), 500, 2_000, true, 0, 0);
        List<Row> rows = new ArrayList<>();
        rows.addAll(RealGuestBench.run(RealGuestBench.Server.QEMU, ours, VncBench.QEMU_LABEL, plan, guest, out));
        rows.addAll(RealGuestBench.run(RealGuestBench.Server.OURS, ours, ours.label(), plan, guest, out));
        System.out.print(new VncBenchReport(rows, null, 0, 0, ours.label(), VncBench.QEMU_LABEL).text());
        assertEquals(2 * (1 + Encodings.MEASURED.size()), rows.size());
        for (Row row : rows) assertTrue(row.window().guestFps() > 0, row + ": the guest flipped");
        for (String server : List.of(VncBench.QEMU_LABEL, ours.label()))
            assertTrue(rows.stream().filter(r -> r.server().equals(server)).mapToLong(r -> r.window().pixels()).sum() > 0,
                    server + ": the viewer received pixels");
    }
}
