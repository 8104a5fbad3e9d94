package dev.panamavgpu.testguest.tool;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.testguest.backend.BackendCommand;
import dev.panamavgpu.testguest.conformance.Catalog;
import dev.panamavgpu.testguest.conformance.ConformanceReport;
import dev.panamavgpu.testguest.conformance.ConformanceRunner;
import dev.panamavgpu.testguest.conformance.Outcome;
import dev.panamavgpu.testguest.conformance.Scenario;
import dev.panamavgpu.testguest.conformance.ScenarioResult;
import dev.panamavgpu.testguest.conformance.Setup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The conformance runner against real processes: our backend, one that dies, one that cannot start. */
class ConformanceRunnerTest {
    static final Path REPO = Path.of("").toAbsolutePath().getParent();

    static Path workDir(String name) throws Exception {
        return Files.createDirectories(Path.of("target", name).toAbsolutePath());
    }

    @Test
    void ourBackendProcessPassesScenariosAndServesThemOnOneProcess() throws Exception {
        BackendCommand ours = BackendCommand.parse(REPO.resolve("scripts/panama-vgpu").toString());
        List<Scenario> some = Catalog.matching("^commands/(getEdidReturnsQemusEdidForScanout0|transferSetScanoutAndFlushReachQemu)$|^lifecycle/stopAndResume");
        assertEquals(3, some.size(), "scenarios picked: " + some);
        ConformanceRunner runner = new ConformanceRunner(ours, workDir("conformance-ours"), Duration.ofSeconds(30), null);
        List<ScenarioResult> rs = runner.run(some);
        for (ScenarioResult r : rs) assertEquals(Outcome.PASS, r.outcome(), r.scenarioId() + ": " + r.observed());
        assertEquals(1, runner.processStarts(), "our backend keeps listening, so one process serves every scenario");
        ConformanceReport report = new ConformanceReport(List.of(ours), some);
        report.add(rs);
        assertTrue(report.allPassed());
        assertTrue(report.json().contains("\"outcome\":\"PASS\""), report.json());
    }

    /** The 3D scenarios against our backend process with --virgl (the sandbox on, as it runs for libvirt). */
    @Test
    void ourBackendProcessWithVirglPassesThe3dScenarios() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.panamavgpu.ffm.Virglrenderer.available(),
                () -> "skipped: no virglrenderer here (" + dev.panamavgpu.ffm.Virglrenderer.unavailableReason() + ")");
        BackendCommand ours = BackendCommand.parse(REPO.resolve("scripts/panama-vgpu") + " --virgl");
        List<Scenario> threeD = Catalog.matching("^3d/");
        assertTrue(threeD.size() >= 10, "scenarios picked: " + threeD);
        ConformanceRunner runner = new ConformanceRunner(ours, workDir("conformance-ours-virgl"), Duration.ofSeconds(60), null);
        for (ScenarioResult r : runner.run(threeD)) assertEquals(Outcome.PASS, r.outcome(), r.scenarioId() + ": " + r.observed());
        assertEquals(1, runner.processStarts(), "one process serves every 3D scenario, resets included");
    }

    @Test
    void aBackendThatDiesFailsTheScenarioAndTheNextGetsAFreshProcess() throws Exception {
        // our backend killed by the scenario itself (SIGKILL to the process serving the socket, found as our child)
        BackendCommand ours = BackendCommand.parse(REPO.resolve("scripts/panama-vgpu").toString());
        Scenario killer = Scenario.of("test", "killsTheBackend", Setup.defaults(), rig -> {
            ProcessHandle.current().children().forEach(ProcessHandle::destroyForcibly);
            rig.gpu().withTimeout(3000).getDisplayInfo();
        });
        Scenario fine = Catalog.matching("^commands/createResource2dAnswersOkNoData$").getFirst();
        ConformanceRunner runner = new ConformanceRunner(ours, workDir("conformance-dies"), Duration.ofSeconds(30), null);
        List<ScenarioResult> rs = runner.run(List.of(killer, fine));
        assertEquals(Outcome.DIED, rs.get(0).outcome(), rs.get(0).observed());
        assertTrue(rs.get(0).observed().contains("backend exited with status"), rs.get(0).observed());
        assertEquals(Outcome.PASS, rs.get(1).outcome(), rs.get(1).observed());
        assertEquals(2, runner.processStarts());
    }

    @Test
    void aBackendThatCannotStartIsAnErrorForEveryScenarioAndTheRunGoesOn() throws Exception {
        BackendCommand broken = BackendCommand.parse("/bin/false");
        List<Scenario> two = Catalog.matching("^commands/(createResource2dAnswersOkNoData|attachAndDetachBacking)$");
        List<ScenarioResult> rs = new ConformanceRunner(broken, workDir("conformance-broken"), Duration.ofSeconds(10), null).run(two);
        assertEquals(List.of(Outcome.ERROR, Outcome.ERROR), rs.stream().map(ScenarioResult::outcome).toList());
        assertTrue(rs.getFirst().observed().contains("exited with status 1"), rs.getFirst().observed());
    }
}
