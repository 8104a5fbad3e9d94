package dev.panamavgpu.testguest.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * A vhost-user GPU backend process started with {@code --socket-path=PATH} appended to its command line
 * (e.g. {@code [/usr/lib/qemu/vhost-user-gpu]}). Its stdout and stderr go to a log file.
 */
public final class BackendProcess implements AutoCloseable {
    private final Process process;
    private final List<String> command;
    private final Path socket;
    private final Path log;
    private Integer exitCode;

    private BackendProcess(Process process, List<String> command, Path socket, Path log) {
        this.process = process;
        this.command = command;
        this.socket = socket;
        this.log = log;
    }

    /**
     * Starts the backend and waits (at most {@code timeout}) until its listening socket exists.
     *
     * @throws IOException if it cannot be started, exits early or the socket does not appear in time
     */
    public static BackendProcess start(List<String> baseCommand, Path socket, Path logFile, Duration timeout)
            throws IOException {
        if (baseCommand.isEmpty()) throw new IllegalArgumentException("empty backend command");
        List<String> cmd = new ArrayList<>(baseCommand);
        cmd.add("--socket-path=" + socket.toAbsolutePath());
        return launch(cmd, socket, logFile, timeout);
    }

    /**
     * Starts {@code cmd} as it is and waits (at most {@code timeout}) until {@code socket} exists (the one the
     * backend creates last, so that every socket it serves is listening).
     */
    public static BackendProcess launch(List<String> cmd, Path socket, Path logFile, Duration timeout) throws IOException {
        if (cmd.isEmpty()) throw new IllegalArgumentException("empty backend command");
        Files.deleteIfExists(socket);
        Files.createDirectories(socket.toAbsolutePath().getParent());
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        Files.writeString(logFile, "# " + String.join(" ", cmd) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        BackendProcess bp = new BackendProcess(p, List.copyOf(cmd), socket, logFile);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!Files.exists(socket)) {
            if (!p.isAlive()) {
                bp.exitCode = p.exitValue();
                throw new IOException("backend exited with status " + bp.exitCode + " before creating " + socket
                        + "; log " + logFile + ":\n" + tail(logFile, 20));
            }
            if (System.nanoTime() > deadline) {
                bp.stop();
                throw new IOException("backend socket " + socket + " did not appear within " + timeout
                        + "; log " + logFile + ":\n" + tail(logFile, 20));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                bp.stop();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        return bp;
    }

    public List<String> command() { return command; }
    public Path socketPath() { return socket; }
    public Path logFile() { return log; }
    public long pid() { return process.pid(); }
    public boolean isAlive() { return process.isAlive(); }

    /** The exit status, if the process has ended. */
    public OptionalInt exitCode() {
        if (exitCode != null) return OptionalInt.of(exitCode);
        if (process.isAlive()) return OptionalInt.empty();
        exitCode = process.exitValue();
        return OptionalInt.of(exitCode);
    }

    /**
     * SIGTERM, then SIGKILL if it has not ended after 5 s. Returns the exit status (128+signal for a
     * signal death, as reported by the JDK).
     */
    public int stop() {
        if (process.isAlive()) {
            process.destroy(); // SIGTERM
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly(); // SIGKILL
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // best effort
        }
        return exitCode().orElse(-1);
    }

    @Override
    public void close() { stop(); }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}
