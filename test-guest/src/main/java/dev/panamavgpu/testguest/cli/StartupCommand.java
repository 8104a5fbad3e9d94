package dev.panamavgpu.testguest.cli;

import dev.panamavgpu.testguest.backend.BackendCommand;
import dev.panamavgpu.testguest.bench.BenchSession;
import dev.panamavgpu.testguest.bench.Stats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code test-guest startup}: start-up and footprint only, many runs, backends interleaved so a busy
 * moment of the machine hits them alike. Each run starts a fresh process, measures exec to the first
 * accepted connection and, after setup (vhost-user negotiated, memory table, rings, GPU socket), VmRSS.
 */
@Command(name = "startup", mixinStandardHelpOptions = true,
        description = "Start-up and footprint of each backend: from exec to the first accepted connection, and VmRSS after setup; median, min and max over the runs.")
public final class StartupCommand implements Callable<Integer> {
    @Option(names = "--backend", required = true, paramLabel = "'CMD ARGS...'",
            description = "Backend command (repeatable: one per setting to compare); --socket-path=PATH is appended.")
    List<String> backends = new ArrayList<>();

    @Option(names = "--vs", paramLabel = "'CMD ARGS...'", description = "Another backend to compare with (repeatable).")
    List<String> versus = new ArrayList<>();

    @Option(names = "--runs", paramLabel = "N", defaultValue = "10", description = "Runs per backend (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Sockets and backend logs (default: a new temporary directory).")
    Path workDir;

    /** Guest RAM of the setup; small, so the harness itself stays out of the way. */
    static final long RAM = 64L << 20;

    @Override
    public Integer call() throws Exception {
        List<BackendCommand> commands = BackendLabels.of(backends, versus);
        Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("test-guest-startup");
        Map<BackendCommand, List<Double>> accept = new LinkedHashMap<>(), rss = new LinkedHashMap<>();
        for (BackendCommand c : commands) { accept.put(c, new ArrayList<>()); rss.put(c, new ArrayList<>()); }
        for (int run = 1; run <= runs; run++) {
            for (BackendCommand c : commands) {
                System.err.printf("\r[run %d/%d] %-40s", run, runs, c.label());
                try (BenchSession s = BenchSession.start(c, dir, RAM)) {
                    accept.get(c).add(s.backend().startToAcceptNanos() / 1e6);
                    rss.get(c).add(s.status().rssMib());
                }
            }
        }
        System.err.println();
        System.out.printf("%-14s %26s %26s  %s%n", "backend", "start to accept ms", "RSS after setup MiB", "command");
        System.out.printf("%-14s %26s %26s%n", "", "median (min-max)", "median (min-max)");
        for (BackendCommand c : commands) {
            System.out.printf("%-14s %26s %26s  %s%n", c.label(), cell(accept.get(c)), cell(rss.get(c)), c);
        }
        return 0;
    }

    private static String cell(List<Double> v) {
        double min = v.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = v.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        return String.format("%.1f (%.1f-%.1f)", Stats.median(v), min, max);
    }
}
