package dev.panamavgpu.testguest.cli;

import dev.panamavgpu.testguest.backend.BackendCommand;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Backend commands from the command line, with labels made unique for tables (panama-vgpu, panama-vgpu#2). */
final class BackendLabels {
    private BackendLabels() {}

    static List<BackendCommand> of(List<String> backends, List<String> versus) {
        List<BackendCommand> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<String> all = new ArrayList<>(backends);
        all.addAll(versus);
        for (String s : all) {
            BackendCommand c = BackendCommand.parse(s);
            String label = c.label();
            for (int n = 2; !seen.add(label); n++) label = c.label() + "#" + n;
            out.add(c.labelled(label));
        }
        return out;
    }
}
