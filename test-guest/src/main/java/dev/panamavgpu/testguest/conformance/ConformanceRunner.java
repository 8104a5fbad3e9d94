package dev.panamavgpu.testguest.conformance;

import dev.panamavgpu.testguest.backend.BackendCommand;
import dev.panamavgpu.testguest.backend.RunningBackend;
import dev.panamavgpu.testguest.driver.Response;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs scenarios against one backend process. A backend that keeps listening after a disconnect serves scenario
 * after scenario; one that exits (QEMU's C backend serves a single connection) or dies is started afresh for the
 * next scenario. Each scenario has a time limit; a backend stuck past it is killed.
 */
public final class ConformanceRunner {
    private final BackendCommand command;
    private final Path workDir;
    private final Duration scenarioTimeout;
    private final PrintStream progress;
    private RunningBackend running;
    private int starts;

    public ConformanceRunner(BackendCommand command, Path workDir, Duration scenarioTimeout, PrintStream progress) {
        this.command = command;
        this.workDir = workDir;
        this.scenarioTimeout = scenarioTimeout;
        this.progress = progress;
    }

    /** Number of backend processes started so far. */
    public int processStarts() { return starts; }

    public List<ScenarioResult> run(List<Scenario> scenarios) {
        List<ScenarioResult> out = new ArrayList<>();
        try {
            int i = 0, failed = 0;
            for (Scenario s : scenarios) {
                i++;
                if (progress != null) {
                    progress.printf("\r[%s %d/%d, %d not passed] %-90.90s", command.label(), i, scenarios.size(), failed, s.id());
                    progress.flush();
                }
                ScenarioResult r = runOne(s);
                if (!r.passed()) failed++;
                out.add(r);
            }
            if (progress != null) progress.printf("\r[%s] %d scenarios, %d not passed, %d backend processes%-60s%n",
                    command.label(), scenarios.size(), failed, starts, "");
        } finally {
            stopBackend();
        }
        return out;
    }

    private ScenarioResult runOne(Scenario s) {
        long t0 = System.nanoTime();
        GpuRig rig;
        try {
            rig = connect(s.setup());
        } catch (Exception | AssertionError e) {
            return new ScenarioResult(s.id(), command.label(), Outcome.ERROR, "setup failed: " + oneLine(e), ms(t0));
        }
        RunningBackend backend = running;
        FutureTask<Void> task = new FutureTask<>(() -> {
            s.body().run(rig);
            return null;
        });
        Thread worker = new Thread(task, "scenario " + s.id());
        worker.setDaemon(true);
        worker.start();
        Outcome outcome = Outcome.PASS;
        String observed;
        try {
            task.get(scenarioTimeout.toMillis(), TimeUnit.MILLISECONDS);
            observed = last(rig);
        } catch (TimeoutException e) {
            backend.kill();
            worker.interrupt();
            outcome = Outcome.TIMEOUT;
            observed = "no end within " + scenarioTimeout.toSeconds() + " s (backend killed); last response " + last(rig);
        } catch (ExecutionException e) {
            outcome = Outcome.FAIL;
            observed = oneLine(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = Outcome.ERROR;
            observed = "interrupted";
        }
        if (outcome != Outcome.TIMEOUT) {
            // a backend that dies makes the driver wait for completions that never come: give the exit a moment
            OptionalInt exit = outcome == Outcome.PASS ? backend.exitCode() : backend.awaitExit(200);
            if (exit.isPresent()) {
                outcome = Outcome.DIED;
                observed = "backend exited with status " + exit.getAsInt() + " during the scenario; " + observed;
            }
        }
        try {
            rig.close();
        } catch (RuntimeException ignored) {
            // a dead backend's sockets: nothing to clean up on its side
        }
        return new ScenarioResult(s.id(), command.label(), outcome, observed, ms(t0));
    }

    /** A rig on the running backend if it still accepts, else on a fresh process. */
    private GpuRig connect(Setup setup) throws IOException, InterruptedException {
        if (running != null && running.isAlive()) {
            try {
                return GpuRig.over(running.connection(), setup, null);
            } catch (IOException stale) {
                stopBackend(); // it serves one connection only, or is going away
            }
        }
        stopBackend();
        running = RunningBackend.start(command, workDir.resolve(command.label() + ".sock"),
                workDir.resolve(command.label() + ".log"), Duration.ofSeconds(10));
        starts++;
        return GpuRig.over(running.connection(), setup, null);
    }

    private void stopBackend() {
        if (running != null) {
            running.close();
            running = null;
        }
    }

    private static String last(GpuRig rig) {
        Response r = rig.gpu().lastResponse();
        return r == null ? "-" : r.toString();
    }

    private static long ms(long t0) { return (System.nanoTime() - t0) / 1_000_000; }

    static String oneLine(Throwable t) {
        String m = t instanceof AssertionError ? t.getMessage() : t.toString();
        if (m == null) m = t.getClass().getName();
        m = m.replaceAll("\\s*\\n\\s*", " | ");
        return m.length() > 400 ? m.substring(0, 400) + "..." : m;
    }
}
