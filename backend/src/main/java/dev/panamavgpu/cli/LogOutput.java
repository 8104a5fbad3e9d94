package dev.panamavgpu.cli;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Libc;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Where the log goes, decided once at start-up (files and sockets are opened before any sandbox):
 * --log-file=PATH if given; else stderr if it is a terminal, a file or a pipe (someone reads it:
 * a shell, a test harness); else (libvirt sends it to /dev/null) syslog at /dev/log if there is
 * one; else stderr (a container without syslog).
 */
final class LogOutput {
    private LogOutput() {}

    /** The syslog socket; a system property so tests can listen in its place. */
    static final String SYSLOG = System.getProperty("panamavgpu.syslog", "/dev/log");

    /** Redirects System.err as decided; returns what was chosen, for the first log line. */
    static String install(Path logFile) throws IOException {
        if (logFile != null) {
            FileOutputStream file = new FileOutputStream(logFile.toFile(), true);
            PrintStream out = new PrintStream(file, true, StandardCharsets.UTF_8);
            System.setErr(new PrintStream(new LogLineStream((severity, vm, text) -> {
                out.println(OffsetDateTime.now(ZoneOffset.UTC) + " " + (vm.isEmpty() ? "" : vm + ": ") + text);
            }), true, StandardCharsets.UTF_8));
            return "log file " + logFile;
        }
        if (Libc.isatty(2) || stderrIsRead()) return "stderr";
        try {
            SyslogSink syslog = SyslogSink.connect(SYSLOG);
            System.setErr(new PrintStream(new LogLineStream(syslog), true, StandardCharsets.UTF_8));
            return "syslog " + SYSLOG;
        } catch (ErrnoException noSyslog) {
            return "stderr (no syslog at " + SYSLOG + ": " + noSyslog.getMessage() + ")";
        }
    }

    /** Whether fd 2 is a regular file or a pipe, i.e. not /dev/null, a closed fd or a socket. */
    private static boolean stderrIsRead() {
        Path fd2 = Path.of("/proc/self/fd/2");
        try {
            return Files.isRegularFile(fd2) || Files.readSymbolicLink(fd2).toString().startsWith("pipe:");
        } catch (IOException | UnsupportedOperationException e) {
            return false; // closed
        }
    }
}
