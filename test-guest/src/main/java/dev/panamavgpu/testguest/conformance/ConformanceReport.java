package dev.panamavgpu.testguest.conformance;

import dev.panamavgpu.testguest.backend.BackendCommand;
import dev.panamavgpu.testguest.vm.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Conformance results of one or more backends side by side: a text table, the details of what failed, JSON. */
public final class ConformanceReport {
    private final List<BackendCommand> backends;
    private final List<Scenario> scenarios;
    /** scenario id → backend label → result */
    private final Map<String, Map<String, ScenarioResult>> results = new LinkedHashMap<>();

    public ConformanceReport(List<BackendCommand> backends, List<Scenario> scenarios) {
        this.backends = List.copyOf(backends);
        this.scenarios = List.copyOf(scenarios);
        for (Scenario s : scenarios) results.put(s.id(), new LinkedHashMap<>());
    }

    public void add(List<ScenarioResult> rs) {
        for (ScenarioResult r : rs) results.computeIfAbsent(r.scenarioId(), k -> new LinkedHashMap<>()).put(r.backend(), r);
    }

    public long passed(String backend) {
        return results.values().stream().filter(m -> m.containsKey(backend) && m.get(backend).passed()).count();
    }

    public boolean allPassed() {
        return backends.stream().allMatch(b -> passed(b.label()) == scenarios.size());
    }

    /** One row per scenario, one column per backend, then every result that is not a pass with what was observed. */
    public String text() {
        int w = Math.max(20, scenarios.stream().mapToInt(s -> s.id().length()).max().orElse(20));
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%-" + w + "s", "scenario"));
        for (BackendCommand c : backends) b.append(String.format(Locale.ROOT, " | %-16s", c.label()));
        b.append('\n');
        for (Scenario s : scenarios) {
            b.append(String.format(Locale.ROOT, "%-" + w + "s", s.id()));
            for (BackendCommand c : backends) {
                ScenarioResult r = results.get(s.id()).get(c.label());
                b.append(String.format(Locale.ROOT, " | %-16s", r == null ? "-" : r.outcome()));
            }
            b.append('\n');
        }
        b.append('\n');
        for (BackendCommand c : backends) {
            b.append(String.format(Locale.ROOT, "%s (%s): %d of %d passed%n", c.label(), c, passed(c.label()), scenarios.size()));
        }
        List<String> details = new ArrayList<>();
        for (BackendCommand c : backends) {
            for (Scenario s : scenarios) {
                ScenarioResult r = results.get(s.id()).get(c.label());
                if (r != null && !r.passed()) details.add("  [" + c.label() + "] " + r.outcome() + " " + s.id() + ": " + r.observed());
            }
        }
        if (!details.isEmpty()) b.append("\nnot passed, with what was observed:\n").append(String.join("\n", details)).append('\n');
        return b.toString();
    }

    /** Markdown table (docs/compatibility.md): one row per scenario group, passes per backend. */
    public String markdownSummary() {
        Map<String, List<Scenario>> groups = new LinkedHashMap<>();
        for (Scenario s : scenarios) groups.computeIfAbsent(s.group(), k -> new ArrayList<>()).add(s);
        StringBuilder b = new StringBuilder("| group | scenarios |");
        for (BackendCommand c : backends) b.append(' ').append(c.label()).append(" |");
        b.append("\n|---|---|").append("---|".repeat(backends.size())).append('\n');
        for (var g : groups.entrySet()) {
            b.append("| ").append(g.getKey()).append(" | ").append(g.getValue().size()).append(" |");
            for (BackendCommand c : backends) {
                long p = g.getValue().stream().filter(s -> {
                    ScenarioResult r = results.get(s.id()).get(c.label());
                    return r != null && r.passed();
                }).count();
                b.append(' ').append(p).append(" pass |");
            }
            b.append('\n');
        }
        return b.toString();
    }

    public String json() {
        Map<String, Object> root = new LinkedHashMap<>();
        List<Object> bs = new ArrayList<>();
        for (BackendCommand c : backends) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("label", c.label());
            m.put("command", c.toString());
            m.put("passed", passed(c.label()));
            m.put("scenarios", scenarios.size());
            bs.add(m);
        }
        root.put("backends", bs);
        List<Object> ss = new ArrayList<>();
        for (Scenario s : scenarios) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", s.id());
            Map<String, Object> per = new LinkedHashMap<>();
            for (var e : results.get(s.id()).entrySet()) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("outcome", e.getValue().outcome().name());
                r.put("observed", e.getValue().observed());
                r.put("millis", e.getValue().millis());
                per.put(e.getKey(), r);
            }
            m.put("results", per);
            ss.add(m);
        }
        root.put("scenarios", ss);
        return Json.write(root);
    }
}
