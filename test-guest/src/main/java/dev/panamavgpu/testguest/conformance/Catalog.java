package dev.panamavgpu.testguest.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** All conformance scenarios, in report order. */
public final class Catalog {
    private Catalog() {}

    public static List<Scenario> all() {
        List<Scenario> s = new ArrayList<>();
        s.addAll(CommandScenarios.all());
        s.addAll(BadInputScenarios.all());
        s.addAll(LifecycleScenarios.all());
        s.addAll(PixelScenarios.all());
        s.addAll(ThreeDScenarios.all());
        return List.copyOf(s);
    }

    /** The scenarios whose id ({@code group/name[params]}) contains a match of {@code regex}. */
    public static List<Scenario> matching(String regex) {
        Pattern p = Pattern.compile(regex);
        return all().stream().filter(x -> p.matcher(x.id()).find()).toList();
    }
}
