package dev.panamavgpu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --sandbox as the executable applies it: the log line, the serving threads' state, the stats socket still answering. */
class SandboxOptionTest {
    @TempDir Path dir;

    private record Run(String log, String loopThreadSeccomp, String loopThreadCapEff, String stats, int exit) {}

    private Run run(String... extra) throws Exception {
        Path sock = dir.resolve("gpu.sock"), stats = dir.resolve("stats.sock"), log = dir.resolve("backend.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:-UsePerfData", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--socket-path", sock.toString(), "--stats-socket", stats.toString(),
                "--page-dir", dir.toString()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (p.isAlive() && !Files.readString(log).contains("listening on") && System.nanoTime() < deadline) Thread.sleep(20);
            if (!p.isAlive()) return new Run(Files.readString(log), null, null, null, p.exitValue());
            assertTrue(Files.readString(log).contains("listening on"), Files.readString(log));
            String seccomp = null, capEff = null;
            try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(p.pid()), "task"))) {
                for (Path t : tasks.toList()) {
                    String st = Files.readString(t.resolve("status"));
                    if (st.startsWith("Name:\tvhost-user-loop")) {
                        seccomp = field(st, "Seccomp");
                        capEff = field(st, "CapEff");
                    }
                }
            }
            return new Run(Files.readString(log), seccomp, capEff, StatsServer.query(stats), -1);
        } finally {
            p.destroy();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the back-end stops on SIGTERM");
        }
    }

    private static String field(String status, String name) {
        for (String l : status.split("\n")) if (l.startsWith(name + ":")) return l.substring(name.length() + 1).strip();
        return null;
    }

    @Test
    void onByDefault() throws Exception {
        Run r = run();
        assertTrue(r.log().contains("sandbox: seccomp deny-list"), r.log());
        assertEquals("2", r.loopThreadSeccomp(), "the vhost-user loop is filtered");
        assertEquals("0000000000000000", r.loopThreadCapEff(), "the vhost-user loop has no capabilities");
        assertTrue(r.stats().contains("resident_bytes"), "the stats thread still answers: " + r.stats());
    }

    @Test
    void offOptsOut() throws Exception {
        Run r = run("--sandbox=off");
        assertTrue(r.log().contains("sandbox: off"), r.log());
        assertEquals("0", r.loopThreadSeccomp());
    }

    @Test
    void requireServesWhenEveryLayerIsThere() throws Exception {
        Run r = run("--sandbox=REQUIRE");
        if (r.exit() >= 0) { // a kernel without some layer: refused, and saying why
            assertEquals(1, r.exit(), r.log());
            assertTrue(r.log().contains("--sandbox=require: sandbox:"), r.log());
        } else {
            assertTrue(r.log().contains("landlock ABI"), r.log());
            assertEquals("2", r.loopThreadSeccomp());
        }
    }

    @Test
    void anUnknownModeIsAUsageError() throws Exception {
        assertEquals(2, run("--sandbox=maybe").exit());
    }
}
