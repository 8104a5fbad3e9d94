package dev.panamavgpu.testguest.tool;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.testguest.cli.DensityCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code test-guest density} with 1 and 2 VMs in one process of ours (--max-vms=2), so the harness
 * keeps working. Checks that every figure was measured and is sane, never how large or fast it is.
 */
class QuickDensityTest {
    @Test
    void densityMeasuresRssThreadsAndLatencyForOneAndTwoVms() throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent();
        Path dir = Files.createDirectories(Path.of("target", "quick-density").toAbsolutePath());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream was = System.out;
        int status;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            status = new CommandLine(new DensityCommand()).execute("--many", repo.resolve("scripts/panama-vgpu") + " --max-vms=2",
                    "--vms", "1,2", "--rounds", "20", "--work-dir", dir.toString());
        } finally {
            System.setOut(was);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        System.out.println(text);
        assertEquals(0, status, text);
        List<String[]> rows = text.lines().skip(1).map(l -> l.trim().split("\\s+")).toList();
        assertEquals(2, rows.size(), text);
        // backend, "one", "process", VMs, procs, RSS, MiB per VM+, threads, p50, p99
        for (int i = 0; i < 2; i++) {
            String[] r = rows.get(i);
            assertEquals(Integer.toString(i + 1), r[3], "VMs");
            assertEquals("1", r[4], "one process");
            assertTrue(Double.parseDouble(r[5]) > 10, "RSS MiB " + r[5]);
            assertTrue(Long.parseLong(r[7]) > 1, "threads " + r[7]);
            assertTrue(Double.parseDouble(r[9]) >= Double.parseDouble(r[8]) && Double.parseDouble(r[8]) > 0, "p50/p99 " + r[8] + " " + r[9]);
        }
        assertTrue(Long.parseLong(rows.get(1)[7]) > Long.parseLong(rows.get(0)[7]), "a second VM has a thread of its own");
    }
}
