package dev.panamavgpu.testguest.cli;

import dev.panamavgpu.testguest.backend.BackendCommand;
import dev.panamavgpu.testguest.bench.BenchPlan;
import dev.panamavgpu.testguest.bench.BenchReport;
import dev.panamavgpu.testguest.bench.BenchResults;
import dev.panamavgpu.testguest.bench.BenchRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code test-guest bench}: the same workloads against each backend, alternating, medians and ratios. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks one backend, or two side by side (--vs): round trip of a fenced 64x64 TRANSFER+FLUSH (p50/p99), full-frame 1080p and 4K TRANSFER+FLUSH delivered to the display socket against the socket's own ceiling, TRANSFER alone against memcpy, 10,000 small resources, RSS and start-up time; for a backend with --ivshmem-socket also QXL over ivshmem: IO doorbell-to-completion p50/p99 and FILL drawables per second (QEMU's C backends have no counterpart). Backends alternate from round to round; the table shows medians.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--backend", required = true, paramLabel = "'CMD ARGS...'", description = "Backend command; --socket-path=PATH is appended.")
    String backend;

    @Option(names = "--vs", paramLabel = "'CMD ARGS...'", description = "A second backend, e.g. /usr/lib/qemu/vhost-user-gpu.")
    String versus;

    @Option(names = "--quick", description = "Seconds instead of minutes: reduced counts, one round (checks the harness, not the figures).")
    boolean quick;

    @Option(names = "--rounds", paramLabel = "N", description = "Rounds per backend (default 3, --quick 1).")
    Integer rounds;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every sample as JSON.")
    Path json;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Sockets and backend logs (default: a new temporary directory).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        List<String> versusList = new ArrayList<>();
        if (versus != null) versusList.add(versus);
        List<BackendCommand> commands = BackendLabels.of(List.of(backend), versusList);
        BenchPlan plan = quick ? BenchPlan.quick() : BenchPlan.full();
        if (rounds != null) plan = plan.withRounds(rounds);
        Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("test-guest-bench");
        BenchResults results = new BenchRunner(plan, dir, System.err).run(commands);
        BenchReport report = new BenchReport(commands, results, plan);
        System.out.print(report.text());
        if (json != null) Files.writeString(json, report.json());
        return 0;
    }
}
