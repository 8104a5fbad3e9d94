package dev.panamavgpu.testguest.vm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A QEMU x86-64 VM (TCG) with a {@code vhost-user-gpu-pci} device connected to a backend's UNIX socket (or
 * only the devices of {@link Config#extraArgs()}), its
 * serial console on the process's stdin/stdout and a QMP socket. Serial lines are collected on a thread and
 * written to {@code serial.log} (with seconds since QEMU start); QEMU's stderr goes to {@code qemu.log}; the
 * QMP conversation to {@code qmp.log}. {@link #close()} always ends QEMU.
 */
public final class QemuVm implements AutoCloseable {
    /**
     * @param qemu        the QEMU binary ({@code qemu-system-x86_64})
     * @param kernel      bzImage
     * @param initrd      initramfs
     * @param append      kernel command line
     * @param vhostSocket the backend's listening socket for {@code vhost-user-gpu-pci}; null: no such device
     *                    (e.g. an ivshmem-only VM whose device comes with {@code extraArgs})
     * @param qmpSocket   where QEMU listens for QMP (keep UNIX socket paths short: max 107 bytes)
     * @param workDir     where the logs (serial.log, qemu.log, qmp.log) go
     * @param memory      guest RAM, e.g. "512M"
     * @param extraArgs   appended to the command line (e.g. {@code -trace ...})
     */
    public record Config(String qemu, Path kernel, Path initrd, String append, Path vhostSocket, Path qmpSocket,
                         Path workDir, String memory, List<String> extraArgs) {
        public Config {
            extraArgs = List.copyOf(extraArgs);
        }

        public static final String DEFAULT_APPEND =
                "console=ttyS0 quiet loglevel=3 vt.global_cursor_default=0 consoleblank=0 panic=-1";

        public static Config of(Path kernel, Path initrd, Path vhostSocket, Path qmpSocket, Path workDir) {
            return new Config("qemu-system-x86_64", kernel, initrd, DEFAULT_APPEND, vhostSocket, qmpSocket, workDir, "512M",
                    List.of());
        }
    }

    /** One serial console line with its arrival time (seconds since QEMU start). */
    public record SerialLine(int index, double seconds, String text) {}

    private final Config config;
    private final List<String> commandLine;
    private final Process process;
    private final OutputStream serialIn;
    private final Writer serialLog;
    private final Writer qmpLog;
    private final long startNanos;
    private final List<SerialLine> lines = new ArrayList<>();
    private boolean serialEof;
    private int cursor; // next line index awaitLine looks at
    private final Thread serialReader;
    private QmpClient qmp;

    private QemuVm(Config config, List<String> cmd, Process process, Writer serialLog, Writer qmpLog, long startNanos) {
        this.config = config;
        this.commandLine = List.copyOf(cmd);
        this.process = process;
        this.serialIn = process.getOutputStream();
        this.serialLog = serialLog;
        this.qmpLog = qmpLog;
        this.startNanos = startNanos;
        this.serialReader = Thread.ofPlatform().daemon().name("qemu-serial").start(this::readSerial);
    }

    /** The command line {@link #start} uses for {@code config}. */
    public static List<String> commandLine(Config c) {
        Path qmpSock = c.qmpSocket().toAbsolutePath();
        List<String> cmd = new ArrayList<>(List.of(
                c.qemu(),
                "-accel", "tcg",
                "-machine", "q35,memory-backend=mem",
                "-m", c.memory(),
                "-object", "memory-backend-memfd,id=mem,size=" + c.memory() + ",share=on",
                "-display", "none",
                "-vga", "none",
                "-kernel", c.kernel().toAbsolutePath().toString(),
                "-initrd", c.initrd().toAbsolutePath().toString(),
                "-append", c.append(),
                "-serial", "stdio",
                "-qmp", "unix:" + qmpSock + ",server=on,wait=off",
                "-nodefaults",
                "-no-user-config",
                "-msg", "timestamp=on"));
        if (c.vhostSocket() != null) {
            cmd.addAll(List.of("-chardev", "socket,id=vgpu,path=" + c.vhostSocket().toAbsolutePath(),
                    "-device", "vhost-user-gpu-pci,chardev=vgpu"));
        }
        cmd.addAll(c.extraArgs());
        return cmd;
    }

    /** Starts QEMU and connects QMP. */
    public static QemuVm start(Config c) throws IOException {
        Files.createDirectories(c.workDir());
        Path qmpSock = c.qmpSocket();
        Files.deleteIfExists(qmpSock);
        List<String> cmd = commandLine(c);
        Path qemuLog = c.workDir().resolve("qemu.log");
        Files.writeString(qemuLog, "# " + shellJoin(cmd) + "\n", StandardCharsets.UTF_8);
        Writer serialLog = Files.newBufferedWriter(c.workDir().resolve("serial.log"), StandardCharsets.UTF_8);
        Writer qmpLog = Files.newBufferedWriter(c.workDir().resolve("qmp.log"), StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.appendTo(qemuLog.toFile()))
                .start();
        QemuVm vm = new QemuVm(c, cmd, p, serialLog, qmpLog, t0);
        try {
            vm.qmp = QmpClient.connect(qmpSock, Duration.ofSeconds(30), vm::logQmp);
        } catch (IOException e) {
            vm.close();
            throw new IOException("QEMU did not offer QMP (log " + qemuLog + "):\n" + BackendProcess.tail(qemuLog, 20), e);
        }
        return vm;
    }

    public List<String> commandLine() { return commandLine; }
    public Config config() { return config; }
    public QmpClient qmp() { return qmp; }
    public boolean isAlive() { return process.isAlive(); }
    public long pid() { return process.pid(); }

    /** Seconds since QEMU was started. */
    public double seconds() { return (System.nanoTime() - startNanos) / 1e9; }

    private void logQmp(String s) {
        synchronized (qmpLog) {
            try {
                qmpLog.write(String.format(Locale.ROOT, "[%9.3f] %s%n", seconds(), s));
                qmpLog.flush();
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    private void readSerial() {
        InputStream in = process.getInputStream();
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int k = 0; k < n; k++) {
                    byte b = buf[k];
                    if (b == '\n') {
                        addLine(cur.toString(StandardCharsets.ISO_8859_1));
                        cur.reset();
                    } else if (b != '\r') {
                        cur.write(b);
                    }
                }
            }
        } catch (IOException e) {
            // process ended
        } finally {
            if (cur.size() > 0) addLine(cur.toString(StandardCharsets.ISO_8859_1));
            synchronized (lines) {
                serialEof = true;
                lines.notifyAll();
            }
            try {
                serialLog.flush();
            } catch (IOException ignored) {
                // nothing
            }
        }
    }

    private void addLine(String text) {
        double t = seconds();
        synchronized (lines) {
            SerialLine l = new SerialLine(lines.size(), t, text);
            lines.add(l);
            lines.notifyAll();
            try {
                serialLog.write(String.format(Locale.ROOT, "[%9.3f] %s%n", t, text));
                serialLog.flush();
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /** All serial lines so far. */
    public List<SerialLine> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    /** Makes the next await look only at lines that arrive from now on. */
    public void skipExistingLines() {
        synchronized (lines) {
            cursor = lines.size();
        }
    }

    /**
     * Waits for a line containing {@code marker} (markers may be preceded by kernel console noise), starting
     * after the line matched last. Advances past it.
     */
    public SerialLine awaitLine(String marker, Duration timeout) throws IOException, TimeoutException {
        return awaitAny(timeout, marker);
    }

    /** Like {@link #awaitLine} for the first line containing any of {@code markers}. */
    public SerialLine awaitAny(Duration timeout, String... markers) throws IOException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (; cursor < lines.size(); cursor++) {
                    SerialLine l = lines.get(cursor);
                    for (String m : markers) {
                        if (l.text().contains(m)) {
                            cursor++;
                            return l;
                        }
                    }
                }
                if (serialEof) {
                    String status = process.isAlive() ? "serial closed" : "QEMU exited with status " + exitStatus();
                    throw new IOException(status + " while waiting for " + String.join(" | ", markers));
                }
                long left = deadline - System.nanoTime();
                if (left <= 0)
                    throw new TimeoutException("no serial line with " + String.join(" | ", markers) + " within " + timeout);
                try {
                    lines.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        }
    }

    private String exitStatus() {
        try {
            process.waitFor(1, TimeUnit.SECONDS);
            return process.isAlive() ? "?" : Integer.toString(process.exitValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    /** Writes one line to the guest's serial console. */
    public void sendLine(String text) throws IOException {
        synchronized (serialIn) {
            serialIn.write((text + "\n").getBytes(StandardCharsets.ISO_8859_1));
            serialIn.flush();
        }
        synchronized (lines) {
            try {
                serialLog.write(String.format(Locale.ROOT, "[%9.3f] >>> %s%n", seconds(), text));
                serialLog.flush();
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    // ---- QMP shortcuts ----

    private static final Duration QMP_TIMEOUT = Duration.ofSeconds(60);

    /** {@code screendump} of the primary console in PNG format. */
    public void screendump(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        qmp.execute("screendump", Map.of("filename", file.toAbsolutePath().toString(), "format", "png"), QMP_TIMEOUT);
    }

    public void stop() throws IOException { qmp.execute("stop", null, QMP_TIMEOUT); }
    public void cont() throws IOException { qmp.execute("cont", null, QMP_TIMEOUT); }
    public void systemReset() throws IOException { qmp.execute("system_reset", null, QMP_TIMEOUT); }

    /** The {@code status} of {@code query-status} ("running", "paused", ...). */
    public String status() throws IOException {
        Object r = qmp.execute("query-status", null, QMP_TIMEOUT);
        return r instanceof Map<?, ?> m ? String.valueOf(m.get("status")) : String.valueOf(r);
    }

    /** QMP {@code quit} and wait (bounded) for the process to end. */
    public void quit() throws IOException {
        try {
            qmp.execute("quit", null, Duration.ofSeconds(10));
        } catch (IOException e) {
            // the connection may close before the answer arrives
            if (process.isAlive() && !waitExit(Duration.ofSeconds(5))) throw e;
        }
        waitExit(Duration.ofSeconds(10));
    }

    private boolean waitExit(Duration d) {
        try {
            return process.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** The exit status once ended, else null. */
    public Integer exitValue() { return process.isAlive() ? null : process.exitValue(); }

    /** Ends QEMU for sure: QMP quit, SIGTERM, SIGKILL. */
    @Override
    public void close() {
        if (process.isAlive() && qmp != null) {
            try {
                qmp.execute("quit", null, Duration.ofSeconds(5));
            } catch (IOException ignored) {
                // fall through to signals
            }
            waitExit(Duration.ofSeconds(5));
        }
        if (process.isAlive()) {
            process.destroy();
            if (!waitExit(Duration.ofSeconds(5))) {
                process.destroyForcibly();
                waitExit(Duration.ofSeconds(5));
            }
        }
        if (qmp != null) qmp.close();
        try {
            serialReader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            serialIn.close();
        } catch (IOException ignored) {
            // nothing
        }
        synchronized (lines) {
            try {
                serialLog.close();
            } catch (IOException ignored) {
                // nothing
            }
        }
        synchronized (qmpLog) {
            try {
                qmpLog.close();
            } catch (IOException ignored) {
                // nothing
            }
        }
        try {
            Files.deleteIfExists(config.qmpSocket());
        } catch (IOException ignored) {
            // nothing
        }
    }

    /** Joins a command line for display (single-quotes words with shell metacharacters). */
    public static String shellJoin(List<String> cmd) {
        StringBuilder b = new StringBuilder();
        for (String w : cmd) {
            if (b.length() > 0) b.append(' ');
            if (w.matches("[A-Za-z0-9_./:=,@%+-]+")) b.append(w);
            else b.append('\'').append(w.replace("'", "'\\''")).append('\'');
        }
        return b.toString();
    }
}
