package dev.panamavgpu.memory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Whether the host is short of memory right now, from Linux pressure-stall information: the
 * system's {@code /proc/pressure/memory} ("some avg10" above a threshold), or this process's cgroup
 * v2 {@code memory.events} (its "high" or "max" counters went up since the last look). A source
 * that does not exist on this host is skipped.
 */
public final class PressureGauge implements Supplier<String> {
    /** Share of the last 10 s in which some task stalled on memory, in percent, that counts as pressure. */
    public static final double SOME_AVG10_THRESHOLD = 5.0;

    private final Path psi;
    private final Path cgroupEvents;
    private long lastCgroupEvents = -1;

    public PressureGauge(Path psi, Path cgroupEvents) {
        this.psi = psi;
        this.cgroupEvents = cgroupEvents;
    }

    /** The system PSI file and the memory.events of the cgroup this process is in. */
    public static PressureGauge forThisHost() {
        Path events = null;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                if (line.startsWith("0::")) events = Path.of("/sys/fs/cgroup" + line.substring(3), "memory.events");
            }
        } catch (IOException | RuntimeException e) {
            // no cgroup v2: PSI alone
        }
        return new PressureGauge(Path.of("/proc/pressure/memory"), events);
    }

    /** A description of the pressure seen (for the log), or null if there is none. */
    @Override
    public String get() {
        String psiNow = psiPressure();
        String cgroupNow = cgroupPressure();
        if (psiNow == null) return cgroupNow;
        return cgroupNow == null ? psiNow : psiNow + ", " + cgroupNow;
    }

    private String psiPressure() {
        if (psi == null) return null;
        try {
            for (String line : Files.readAllLines(psi)) {
                if (!line.startsWith("some ")) continue;
                for (String field : line.split(" ")) {
                    if (!field.startsWith("avg10=")) continue;
                    double avg10 = Double.parseDouble(field.substring(6));
                    return avg10 >= SOME_AVG10_THRESHOLD ? "memory PSI some avg10=" + avg10 : null;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null; // no PSI on this kernel, or unreadable
        }
        return null;
    }

    private String cgroupPressure() {
        if (cgroupEvents == null) return null;
        long n = 0;
        try {
            for (String line : Files.readAllLines(cgroupEvents)) {
                String[] kv = line.split(" ");
                if (kv.length == 2 && (kv[0].equals("high") || kv[0].equals("max"))) n += Long.parseLong(kv[1]);
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        long before = lastCgroupEvents;
        lastCgroupEvents = n;
        return before >= 0 && n > before ? "cgroup memory.events high/max +" + (n - before) : null;
    }
}
