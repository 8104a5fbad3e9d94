package dev.panamavgpu.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogOutputTest {
    @Test
    void linesAreCutAtNewlinesWithTheirSeverity() {
        List<String> got = new ArrayList<>();
        LogLineStream s = new LogLineStream((sev, vm, text) -> got.add(sev + "|" + text));
        byte[] b = "12:00:00.000 INFO Main - up\n12:00:01.000 WARN X - odd\njava.lang.Error: boom\n\tat x\n\npartial"
                .getBytes(StandardCharsets.UTF_8);
        s.write(b, 0, b.length);
        assertEquals(List.of("6|12:00:00.000 INFO Main - up", "4|12:00:01.000 WARN X - odd", "3|java.lang.Error: boom", "3|\tat x"), got);
    }

    @Test
    void aLongLineIsCutNotBuffered() {
        List<String> got = new ArrayList<>();
        LogLineStream s = new LogLineStream((sev, vm, text) -> got.add(text));
        byte[] b = ("x".repeat(10_000) + "\n").getBytes(StandardCharsets.UTF_8);
        s.write(b, 0, b.length);
        assertEquals(LogLineStream.MAX_LINE, got.getFirst().length());
    }

    @Test
    void syslogLinesAreRfc3164WithFacilityDaemon() {
        String line = SyslogSink.format(LogLineStream.WARNING, LocalDateTime.of(2026, 12, 4, 9, 5, 7), "panama-vgpu[42]",
                "vm=web pid=7", "WARN X - odd");
        assertEquals("<28>Dec  4 09:05:07 panama-vgpu[42]: vm=web pid=7: WARN X - odd", line);
        assertEquals("<30>Dec 14 09:05:07 t[1]: m", SyslogSink.format(LogLineStream.INFO, LocalDateTime.of(2026, 12, 14, 9, 5, 7), "t[1]", "", "m"));
    }
}
