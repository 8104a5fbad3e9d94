package dev.panamavgpu.testguest.bench;

import static dev.panamavgpu.testguest.bench.BenchResults.HARNESS;

import dev.panamavgpu.testguest.backend.BackendCommand;
import dev.panamavgpu.testguest.backend.ProcStatus;
import dev.panamavgpu.testguest.bench.BenchResults.Metric;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Runs the benchmark set for every backend, {@link BenchPlan#rounds()} times, alternating the order of the
 * backends from round to round, with the harness's own baselines (socket ceiling, memcpy) measured in each
 * round too. Each round and backend uses three fresh processes: one for start-up, latency, frames and transfers,
 * one for the many-resources run (so its peak RSS is its own), one serving QXL over ivshmem only (skipped for a
 * backend without {@code --ivshmem-socket}).
 */
public final class BenchRunner {
    static final long RAM = 192L << 20;
    static final int W1080 = 1920, H1080 = 1080, W4K = 3840, H4K = 2160;
    private final BenchPlan plan;
    private final Path workDir;
    private final Progress progress;

    public BenchRunner(BenchPlan plan, Path workDir, PrintStream progress) {
        this.plan = plan;
        this.workDir = workDir;
        this.progress = new Progress(progress);
    }

    public BenchResults run(List<BackendCommand> backends) throws Exception {
        BenchResults r = new BenchResults();
        for (int round = 1; round <= plan.rounds(); round++) {
            List<BackendCommand> order = new ArrayList<>(backends);
            if (round % 2 == 0) Collections.reverse(order);
            progress.prefix("round " + round + "/" + plan.rounds() + " harness");
            baselines(r);
            for (BackendCommand b : order) {
                progress.prefix("round " + round + "/" + plan.rounds() + " " + b.label());
                display(b, r);
                manyResources(b, r);
                qxl(b, r);
            }
        }
        progress.done();
        return r;
    }

    private void baselines(BenchResults r) throws Exception {
        progress.update("socket ceiling");
        r.add(Metric.CEILING_1080, HARNESS, SocketCeiling.run(W1080, H1080, plan.frames1080()).gigabytesPerSecond());
        r.add(Metric.CEILING_4K, HARNESS, SocketCeiling.run(W4K, H4K, plan.frames4k()).gigabytesPerSecond());
        progress.update("memcpy");
        r.add(Metric.MEMCPY_1080, HARNESS, TransferWorkload.memcpy(W1080, H1080, plan.transfers()) / 1e9);
        r.add(Metric.MEMCPY_4K, HARNESS, TransferWorkload.memcpy(W4K, H4K, plan.transfers()) / 1e9);
    }

    private void display(BackendCommand b, BenchResults r) throws Exception {
        progress.update("starting");
        try (BenchSession s = BenchSession.start(b, workDir, RAM)) {
            String l = b.label();
            r.add(Metric.START_TO_ACCEPT, l, s.backend().startToAcceptNanos() / 1e6);
            r.add(Metric.RSS_AFTER_SETUP, l, s.status().rssMib());

            long[] lat = LatencyWorkload.run(s, plan.warmupPairs(), plan.latencyPairs(), progress);
            s.assertAlive("the latency run");
            r.add(Metric.LATENCY_P50, l, Stats.percentile(lat, 50) / 1e3);
            r.add(Metric.LATENCY_P99, l, Stats.percentile(lat, 99) / 1e3);

            progress.update("frames 1920x1080");
            FrameWorkload.Result f1 = FrameWorkload.run(s, 101, W1080, H1080, plan.frames1080());
            s.assertAlive("the 1080p frames");
            r.add(Metric.FPS_1080, l, f1.fps());
            r.add(Metric.GBPS_1080, l, f1.gigabytesPerSecond());

            progress.update("frames 3840x2160");
            FrameWorkload.Result f4 = FrameWorkload.run(s, 102, W4K, H4K, plan.frames4k());
            s.assertAlive("the 4K frames");
            r.add(Metric.FPS_4K, l, f4.fps());
            r.add(Metric.GBPS_4K, l, f4.gigabytesPerSecond());
            ProcStatus after4k = s.status();
            r.add(Metric.RSS_AFTER_4K, l, after4k.rssMib());
            r.add(Metric.HWM_AFTER_4K, l, after4k.hwmMib());

            progress.update("transfers");
            r.add(Metric.TRANSFER_1080, l, TransferWorkload.transfer(s, 101, W1080, H1080, plan.transfers()) / 1e9);
            r.add(Metric.TRANSFER_4K, l, TransferWorkload.transfer(s, 102, W4K, H4K, plan.transfers()) / 1e9);
            s.assertAlive("the transfers");
        }
    }

    /** QXL over ivshmem, for a backend that has it; one that refuses the options gets no QXL figures. */
    private void qxl(BackendCommand b, BenchResults r) throws Exception {
        progress.update("qxl: starting");
        var result = QxlWorkload.run(b, workDir, plan.qxlIos(), plan.qxlDrawables(), progress);
        if (result.isEmpty()) return;
        QxlWorkload.Result q = result.get();
        r.add(Metric.QXL_IO_P50, b.label(), Stats.percentile(q.ioNanos(), 50) / 1e3);
        r.add(Metric.QXL_IO_P99, b.label(), Stats.percentile(q.ioNanos(), 99) / 1e3);
        r.add(Metric.QXL_DRAWABLES, b.label(), q.drawablesPerSecond());
    }

    private void manyResources(BackendCommand b, BenchResults r) throws Exception {
        progress.update("many resources: starting");
        try (BenchSession s = BenchSession.start(b, workDir, 64L << 20)) {
            long ns = ManyResourcesWorkload.run(s, plan.manyResources(), progress);
            s.assertAlive("the many-resources run");
            r.add(Metric.MANY_TIME, b.label(), ns / 1e6);
            r.add(Metric.MANY_HWM, b.label(), s.status().hwmMib());
        }
    }
}
