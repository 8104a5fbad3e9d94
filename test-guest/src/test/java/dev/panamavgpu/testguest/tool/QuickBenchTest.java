package dev.panamavgpu.testguest.tool;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.testguest.backend.BackendCommand;
import dev.panamavgpu.testguest.bench.BenchPlan;
import dev.panamavgpu.testguest.bench.BenchReport;
import dev.panamavgpu.testguest.bench.BenchResults;
import dev.panamavgpu.testguest.bench.BenchRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code test-guest bench --quick} against our backend process, so the harness keeps working. Checks that every
 * figure was measured and is sane, never how fast anything is.
 */
class QuickBenchTest {
    @Test
    void quickBenchMeasuresEveryFigureForOurBackend() throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent();
        BackendCommand ours = BackendCommand.parse(repo.resolve("scripts/panama-vgpu").toString());
        Path dir = Files.createDirectories(Path.of("target", "quick-bench").toAbsolutePath());
        BenchResults r = new BenchRunner(BenchPlan.quick(), dir, null).run(List.of(ours));
        for (BenchResults.Metric m : BenchResults.Metric.values()) {
            List<Double> ourValues = r.samples(m, ours.label()), harness = r.samples(m, BenchResults.HARNESS);
            List<Double> v = ourValues.isEmpty() ? harness : ourValues;
            assertEquals(1, v.size(), m + ": one sample per round, from the backend or the harness");
            double x = v.getFirst();
            assertTrue(Double.isFinite(x) && x > 0, m + " = " + x);
        }
        assertTrue(r.median(BenchResults.Metric.LATENCY_P99, ours.label()) >= r.median(BenchResults.Metric.LATENCY_P50, ours.label()),
                "p99 below p50");
        assertTrue(r.median(BenchResults.Metric.HWM_AFTER_4K, ours.label()) >= r.median(BenchResults.Metric.RSS_AFTER_4K, ours.label()),
                "peak RSS below current RSS");
        String text = new BenchReport(List.of(ours), r, BenchPlan.quick()).text();
        System.out.println(text);
        assertTrue(text.contains("3840x2160 bytes delivered to the display socket"), text);
    }
}
