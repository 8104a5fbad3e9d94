package dev.panamavgpu.testguest.bench;

import dev.panamavgpu.testguest.backend.BackendCommand;
import dev.panamavgpu.testguest.qxl.QxlGuest;
import dev.panamavgpu.testguest.vm.BackendProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * QXL over ivshmem: the backend process serves ivshmem only ({@code --ivshmem-socket --control-socket}), the
 * Java driver model {@link QxlGuest} joins as the second peer (no VM). Two figures:
 * <ul>
 *   <li>IO round trip: UPDATE_IRQ (does nothing with int_mask 0) through the mailbox, from writing the request
 *   to seeing {@code io_done_seq}: doorbell, the backend's loop waking, completion; the guest spins;</li>
 *   <li>drawables per second: batches of {@link #BATCH} 16x16 solid FILLs pushed on the command ring, each batch
 *   completed by an UPDATE_AREA of one pixel (which draws everything pending and publishes the releases), the
 *   released commands pushed again.</li>
 * </ul>
 */
final class QxlWorkload {
    static final int BATCH = 256, SIZE = 256;

    record Result(long[] ioNanos, double drawablesPerSecond) {}

    /**
     * Runs both figures against a fresh {@code b --ivshmem-socket=... --control-socket=...}; empty if {@code b}
     * exits at once instead (QEMU's C backends have no such options).
     */
    static Optional<Result> run(BackendCommand b, Path workDir, int ios, int drawables, Progress progress) throws IOException {
        Path iv = workDir.resolve(b.label() + "-qxl.sock"), ctl = workDir.resolve(b.label() + "-qxl.ctl");
        List<String> cmd = new ArrayList<>(b.argv());
        cmd.add("--ivshmem-socket=" + iv);
        cmd.add("--control-socket=" + ctl);
        BackendProcess p;
        try {
            p = BackendProcess.launch(cmd, ctl, workDir.resolve(b.label() + "-qxl.log"), Duration.ofSeconds(10));
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).startsWith("backend exited")) return Optional.empty();
            throw e;
        }
        try (p; QxlGuest g = QxlGuest.connect(iv.toString())) {
            g.setup();
            check(g.createPrimary(SIZE, SIZE, false), "CREATE_PRIMARY");
            progress.update("qxl io round trips");
            long[] io = ioRoundTrips(g, ios);
            progress.update("qxl drawables");
            double dps = drawables(g, drawables);
            if (!p.isAlive()) throw new IOException(b.label() + " exited during the QXL run; log " + p.logFile());
            return Optional.of(new Result(io, dps));
        } finally {
            Files.deleteIfExists(iv);
        }
    }

    private static long[] ioRoundTrips(QxlGuest g, int n) throws IOException {
        for (int i = 0; i < n; i++) check(g.io(QxlGuest.IO_UPDATE_IRQ, 0), "UPDATE_IRQ"); // warm-up
        long[] samples = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            int r = g.io(QxlGuest.IO_UPDATE_IRQ, 0);
            samples[i] = System.nanoTime() - t0;
            check(r, "UPDATE_IRQ");
        }
        return samples;
    }

    private static double drawables(QxlGuest g, int total) throws IOException {
        List<Long> pool = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < BATCH; i++) {
            pool.add(g.fill(0, (i % 16) * 16, (i / 16) * 16, 16, 16, 0x010101 * i, null));
        }
        long pushed = BATCH;
        while (true) {
            check(g.updateArea(0, 0, 0, 1, 1), "UPDATE_AREA");
            List<Long> back = g.collectReleases();
            if (back.size() != BATCH) throw new IOException(back.size() + " of " + BATCH + " drawables released after UPDATE_AREA");
            if (pushed >= total) break;
            for (long id : back) g.resubmit(g.commandAt(id), QxlGuest.CMD_DRAW);
            pushed += BATCH;
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return pushed / seconds;
    }

    private static void check(int result, String what) throws IOException {
        if (result != QxlGuest.IO_OK) throw new IOException(what + " failed: " + result);
    }
}
