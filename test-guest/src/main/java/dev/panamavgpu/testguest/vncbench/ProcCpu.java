package dev.panamavgpu.testguest.vncbench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time a process has used so far (all its threads, user + system), from /proc/PID/stat. */
final class ProcCpu {
    /** Linux reports utime/stime in USER_HZ ticks, 100 on every architecture the project runs on. */
    private static final double SECONDS_PER_TICK = 0.01;

    private ProcCpu() {}

    static double seconds(long pid) throws IOException {
        String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // The command name (field 2) may hold spaces and parentheses: fields are counted after its last ')'.
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * SECONDS_PER_TICK; // fields 14 and 15
    }
}
