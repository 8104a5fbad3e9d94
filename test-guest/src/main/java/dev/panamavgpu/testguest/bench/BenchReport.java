package dev.panamavgpu.testguest.bench;

import static dev.panamavgpu.testguest.bench.BenchResults.HARNESS;

import dev.panamavgpu.testguest.backend.BackendCommand;
import dev.panamavgpu.testguest.bench.BenchResults.Metric;
import dev.panamavgpu.testguest.vm.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark figures as a table (medians over rounds; the ratio column is the first backend against the
 * second) plus the derived ratios the targets are stated in, and JSON with every sample.
 */
public final class BenchReport {
    private final List<BackendCommand> backends;
    private final BenchResults results;
    private final BenchPlan plan;

    public BenchReport(List<BackendCommand> backends, BenchResults results, BenchPlan plan) {
        this.backends = List.copyOf(backends);
        this.results = results;
        this.plan = plan;
    }

    private double m(Metric metric, String backend) { return results.median(metric, backend); }

    public String text() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-56s %-5s", "figure (median of " + plan.rounds() + " rounds)", "unit"));
        for (BackendCommand c : backends) b.append(String.format(Locale.ROOT, " %14s", c.label()));
        b.append(String.format(Locale.ROOT, " %10s%n", backends.size() > 1 ? "ratio 1/2" : ""));
        for (Metric metric : Metric.values()) {
            boolean harness = !results.samples(metric, HARNESS).isEmpty();
            b.append(String.format(Locale.ROOT, "%-56s %-5s", metric.title, metric.unit));
            if (harness) {
                b.append(String.format(Locale.ROOT, " %14s", fmt(m(metric, HARNESS)))).append("  (harness, no backend)\n");
                continue;
            }
            for (BackendCommand c : backends) b.append(String.format(Locale.ROOT, " %14s", fmt(m(metric, c.label()))));
            if (metric.qxl()) {
                b.append("  (QXL: ours only, no C counterpart)\n");
                continue;
            }
            if (backends.size() > 1) {
                b.append(String.format(Locale.ROOT, " %10s", fmt(m(metric, backends.get(0).label()) / m(metric, backends.get(1).label()))));
            }
            b.append('\n');
        }
        b.append("\ntargets (issue 5):\n");
        for (BackendCommand c : backends) {
            String l = c.label();
            b.append(String.format(Locale.ROOT, "  %s: 1080p delivered/ceiling %s, 4K delivered/ceiling %s (target >= 0.9); "
                            + "transfer/memcpy 1080p %s, 4K %s (target >= 0.8)%n", l,
                    fmt(m(Metric.GBPS_1080, l) / m(Metric.CEILING_1080, HARNESS)), fmt(m(Metric.GBPS_4K, l) / m(Metric.CEILING_4K, HARNESS)),
                    fmt(m(Metric.TRANSFER_1080, l) / m(Metric.MEMCPY_1080, HARNESS)), fmt(m(Metric.TRANSFER_4K, l) / m(Metric.MEMCPY_4K, HARNESS))));
        }
        if (backends.size() > 1) {
            String a = backends.get(0).label(), c = backends.get(1).label();
            b.append(String.format(Locale.ROOT, "  %s vs %s: latency p50 %sx (target <= 1.0), p99 %sx (target <= 1.5); "
                            + "peak RSS after 4K %s vs %s MiB (target: below); RSS after setup %s MiB (target <= 48); "
                            + "start to accepting %s ms (target <= 500)%n", a, c,
                    fmt(m(Metric.LATENCY_P50, a) / m(Metric.LATENCY_P50, c)), fmt(m(Metric.LATENCY_P99, a) / m(Metric.LATENCY_P99, c)),
                    fmt(m(Metric.HWM_AFTER_4K, a)), fmt(m(Metric.HWM_AFTER_4K, c)), fmt(m(Metric.RSS_AFTER_SETUP, a)),
                    fmt(m(Metric.START_TO_ACCEPT, a))));
        }
        return b.toString();
    }

    static String fmt(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "-";
        if (Math.abs(v) >= 100) return String.format(Locale.ROOT, "%.0f", v);
        if (Math.abs(v) >= 10) return String.format(Locale.ROOT, "%.1f", v);
        return String.format(Locale.ROOT, "%.2f", v);
    }

    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("plan", Map.of("rounds", plan.rounds(), "latencyPairs", plan.latencyPairs(), "frames1080", plan.frames1080(),
                "frames4k", plan.frames4k(), "transfers", plan.transfers(), "manyResources", plan.manyResources(),
                "qxlIos", plan.qxlIos(), "qxlDrawables", plan.qxlDrawables()));
        List<Object> bs = new ArrayList<>();
        for (BackendCommand c : backends) bs.add(Map.of("label", c.label(), "command", c.toString()));
        root.put("backends", bs);
        List<Object> ms = new ArrayList<>();
        for (Metric metric : Metric.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("metric", metric.name());
            m.put("title", metric.title);
            m.put("unit", metric.unit);
            Map<String, Object> per = new LinkedHashMap<>();
            List<String> who = new ArrayList<>(backends.stream().map(BackendCommand::label).toList());
            who.add(HARNESS);
            for (String l : who) {
                List<Double> s = results.samples(metric, l);
                if (!s.isEmpty()) per.put(l, Map.of("median", results.median(metric, l), "samples", s));
            }
            m.put("values", per);
            ms.add(m);
        }
        root.put("metrics", ms);
        return Json.write(root);
    }
}
