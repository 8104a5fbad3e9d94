package dev.panamavgpu.testguest.vncbench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's 1-minute load average: every figure on the shared 2-core machine is printed with it. */
final class LoadAverage {
    private LoadAverage() {}

    static double now() throws IOException {
        return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
    }
}
