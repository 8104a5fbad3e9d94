package dev.panamavgpu.testguest.cli;

import dev.panamavgpu.testguest.backend.BackendCommand;
import dev.panamavgpu.testguest.backend.ProcStatus;
import dev.panamavgpu.testguest.backend.RunningBackend;
import dev.panamavgpu.testguest.bench.Stats;
import dev.panamavgpu.testguest.conformance.GpuRig;
import dev.panamavgpu.testguest.conformance.Setup;
import dev.panamavgpu.testguest.driver.Backing;
import dev.panamavgpu.testguest.driver.Commands;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.qemu.QemuDisplayPeer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code test-guest density}: what K VMs cost, served by one process (a backend started with
 * --max-vms) or by K processes of a one-VM backend (QEMU's C backend, ours with --max-vms=1). For
 * each K: the sum of VmRSS and threads of the backend processes once every VM is set up (a 256x256
 * resource shown), the marginal RSS per VM over K=1, and each VM's round-trip latency of a small
 * TRANSFER + FLUSH with all K VMs drawing at once (p50 and p99 per VM; the table gives the median
 * p50 and the worst p99 over the VMs).
 */
@Command(name = "density", mixinStandardHelpOptions = true,
        description = "RSS, threads and latency of K VMs: one process serving them all (--many) against one process per VM (--per-vm).")
public final class DensityCommand implements Callable<Integer> {
    @Option(names = "--many", paramLabel = "'CMD ARGS...'", description = "A backend serving many VMs in one process (repeatable); --socket-path=PATH is appended.")
    List<String> many = new ArrayList<>();

    @Option(names = "--per-vm", paramLabel = "'CMD ARGS...'", description = "A one-VM backend, started once per VM (repeatable).")
    List<String> perVm = new ArrayList<>();

    @Option(names = "--vms", paramLabel = "K,K,...", split = ",", defaultValue = "1,4,16", description = "VM counts (default ${DEFAULT-VALUE}).")
    List<Integer> counts;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "300", description = "Latency samples per VM (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Sockets and backend logs (default: a new temporary directory).")
    Path workDir;

    static final int SIDE = 256, DAMAGE = 64;
    static final long RAM = 16L << 20;

    private record Row(String label, String mode, int vms, int processes, double rssMib, long threads, double p50Ms, double p99Ms) {}

    @Override
    public Integer call() throws Exception {
        Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("test-guest-density");
        List<Row> rows = new ArrayList<>();
        for (String c : many) for (int k : counts) rows.add(measure(BackendCommand.parse(c), true, k, dir));
        for (String c : perVm) for (int k : counts) rows.add(measure(BackendCommand.parse(c), false, k, dir));
        System.out.printf("%-28s %-12s %4s %5s %10s %12s %8s %9s %9s%n", "backend", "mode", "VMs", "procs", "RSS MiB", "MiB per VM+", "threads", "p50 ms", "p99 ms");
        for (Row r : rows) {
            Row one = rows.stream().filter(o -> o.label.equals(r.label) && o.mode.equals(r.mode) && o.vms == 1).findFirst().orElse(null);
            String marginal = one == null || r.vms == 1 ? "-" : String.format("%.1f", (r.rssMib - one.rssMib) / (r.vms - 1));
            System.out.printf("%-28s %-12s %4d %5d %10.1f %12s %8d %9.3f %9.3f%n", r.label, r.mode, r.vms, r.processes, r.rssMib, marginal, r.threads, r.p50Ms, r.p99Ms);
        }
        return 0;
    }

    private Row measure(BackendCommand c, boolean oneProcess, int k, Path dir) throws Exception {
        System.err.printf("[density] %s, %d VMs, %s%n", c.label(), k, oneProcess ? "one process" : "one process each");
        List<RunningBackend> procs = new ArrayList<>();
        List<GpuRig> rigs = new ArrayList<>();
        Setup setup = Setup.display(QemuDisplayPeer.Config.defaults().discardingPixels()).withRam(RAM);
        try {
            for (int v = 0; v < k; v++) {
                if (oneProcess && v > 0) {
                    rigs.add(GpuRig.over(procs.getFirst().connection(), setup, null));
                } else {
                    RunningBackend b = RunningBackend.start(c, dir.resolve(c.label() + "-" + v + ".sock"), dir.resolve(c.label() + "-" + v + ".log"), Duration.ofSeconds(30));
                    procs.add(b);
                    rigs.add(GpuRig.over(b.connection(), setup, null));
                }
            }
            for (GpuRig r : rigs) {
                Backing b = r.gpu().createWithBacking(1, 2, SIDE, SIDE);
                b.fillPixels(SIDE, SIDE, SIDE * 4L, (x, y) -> x ^ (y << 8));
                GpuDriver.expect(Commands.RESP_OK_NODATA, r.gpu().transfer(1, 0, 0, SIDE, SIDE), "TRANSFER");
                long before = r.peer().updatesReceived();
                GpuDriver.expect(Commands.RESP_OK_NODATA, r.gpu().setScanout(0, 1, 0, 0, SIDE, SIDE), "SET_SCANOUT");
                r.peer().awaitUpdates(before + 1, 5_000);
            }
            Thread.sleep(1000);
            double rss = 0;
            long threads = 0;
            for (RunningBackend b : procs) {
                rss += ProcStatus.of(b.pid()).rssMib();
                threads += threadsOf(b.pid());
            }
            // latency with all k VMs drawing at once
            ExecutorService pool = Executors.newFixedThreadPool(k);
            List<Future<long[]>> fs = new ArrayList<>();
            for (GpuRig r : rigs) fs.add(pool.submit(() -> latencies(r)));
            List<Double> p50 = new ArrayList<>();
            double worstP99 = 0;
            for (Future<long[]> f : fs) {
                long[] s = f.get(300, TimeUnit.SECONDS);
                p50.add(Stats.percentile(s, 50) / 1e6);
                worstP99 = Math.max(worstP99, Stats.percentile(s, 99) / 1e6);
            }
            pool.shutdown();
            for (RunningBackend b : procs) if (!b.isAlive()) throw new IOException(c.label() + " died; log " + b.log());
            return new Row(c.label(), oneProcess ? "one process" : "per VM", k, procs.size(), rss, threads, Stats.median(p50), worstP99);
        } finally {
            for (GpuRig r : rigs) r.close();
            for (RunningBackend b : procs) b.close();
        }
    }

    private long[] latencies(GpuRig r) throws IOException {
        long[] s = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            int x = (i * 16) % (SIDE - DAMAGE);
            long t0 = System.nanoTime();
            GpuDriver.expect(Commands.RESP_OK_NODATA, r.gpu().transfer(1, x, x, DAMAGE, DAMAGE), "TRANSFER");
            GpuDriver.expect(Commands.RESP_OK_NODATA, r.gpu().flush(1, x, x, DAMAGE, DAMAGE), "FLUSH");
            s[i] = System.nanoTime() - t0;
        }
        return s;
    }

    private static long threadsOf(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")))
            if (l.startsWith("Threads:")) return Long.parseLong(l.substring(8).trim());
        return -1;
    }
}
