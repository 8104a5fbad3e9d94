package dev.panamavgpu.testguest.cli;

import dev.panamavgpu.testguest.backend.BackendCommand;
import dev.panamavgpu.testguest.conformance.Catalog;
import dev.panamavgpu.testguest.conformance.ConformanceReport;
import dev.panamavgpu.testguest.conformance.ConformanceRunner;
import dev.panamavgpu.testguest.conformance.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code test-guest conformance}: every scenario against each backend, side by side. */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = "Runs the conformance scenarios (every command, every bad input, reset, GPU socket replacement, stop/start, pixels in UPDATE messages) against each backend and prints pass/fail per scenario with what was observed. A backend process that dies fails that scenario; the next one gets a fresh process. Exit status: 0 if every backend passed every scenario, 1 otherwise, 2 for usage errors.")
public final class ConformanceCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--backend", paramLabel = "'CMD ARGS...'",
            description = "Backend command (repeatable); --socket-path=PATH is appended.")
    List<String> backends = new ArrayList<>();

    @Option(names = "--vs", paramLabel = "'CMD ARGS...'", description = "Another backend to compare with (repeatable).")
    List<String> versus = new ArrayList<>();

    @Option(names = "--only", paramLabel = "REGEX", description = "Only scenarios whose id (group/name[params]) matches.")
    String only;

    @Option(names = "--list", description = "List the scenario ids and exit.")
    boolean list;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON.")
    Path json;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Also write a per-group summary table (Markdown).")
    Path markdown;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", description = "Time limit per scenario (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Sockets and backend logs (default: a new temporary directory).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        List<Scenario> scenarios = only == null ? Catalog.all() : Catalog.matching(only);
        if (list) {
            scenarios.forEach(s -> System.out.println(s.id()));
            return 0;
        }
        if (backends.isEmpty()) throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--backend is required");
        List<BackendCommand> commands = BackendLabels.of(backends, versus);
        Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("test-guest-conformance");
        ConformanceReport report = new ConformanceReport(commands, scenarios);
        for (BackendCommand c : commands) {
            report.add(new ConformanceRunner(c, dir, Duration.ofSeconds(timeoutSeconds), System.err).run(scenarios));
        }
        System.out.print(report.text());
        System.out.println("backend logs: " + dir);
        if (json != null) Files.writeString(json, report.json());
        if (markdown != null) Files.writeString(markdown, report.markdownSummary());
        return report.allPassed() ? 0 : 1;
    }
}
