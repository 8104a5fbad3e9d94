package dev.panamavgpu.testguest.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A process's memory figures from {@code /proc/PID/status}, in KiB.
 *
 * @param rssKib  VmRSS: resident now
 * @param hwmKib  VmHWM: the peak resident set so far
 */
public record ProcStatus(long rssKib, long hwmKib) {
    public static ProcStatus of(long pid) throws IOException {
        long rss = -1, hwm = -1;
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) rss = kib(line);
            else if (line.startsWith("VmHWM:")) hwm = kib(line);
        }
        if (rss < 0 || hwm < 0) throw new IOException("no VmRSS/VmHWM in /proc/" + pid + "/status");
        return new ProcStatus(rss, hwm);
    }

    private static long kib(String line) {
        String[] f = line.trim().split("\\s+");
        return Long.parseLong(f[1]);
    }

    public double rssMib() { return rssKib / 1024.0; }
    public double hwmMib() { return hwmKib / 1024.0; }
}
