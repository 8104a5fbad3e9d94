package dev.panamavgpu.testguest.backend;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.vhostuser.frontend.FrontendConnection;
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
 * A backend process started on a socket path this harness chose, with its first connection. Connecting is how
 * readiness is detected (QEMU's C backend accepts exactly one connection, so a probe connection would use it up):
 * the time from starting the process to the first successful connect is {@link #startToAcceptNanos()}.
 */
public final class RunningBackend implements AutoCloseable {
    private final BackendCommand command;
    private final Process process;
    private final Path socket;
    private final Path log;
    private final long startToAcceptNanos;
    private FrontendConnection first;

    private RunningBackend(BackendCommand command, Process process, Path socket, Path log, long startToAcceptNanos,
                           FrontendConnection first) {
        this.command = command;
        this.process = process;
        this.socket = socket;
        this.log = log;
        this.startToAcceptNanos = startToAcceptNanos;
        this.first = first;
    }

    /** Starts {@code command --socket-path=SOCKET}, output to {@code log}, and connects (within {@code timeout}). */
    public static RunningBackend start(BackendCommand command, Path socket, Path log, Duration timeout) throws IOException {
        Files.deleteIfExists(socket);
        Files.createDirectories(socket.toAbsolutePath().getParent());
        Files.createDirectories(log.toAbsolutePath().getParent());
        List<String> argv = new ArrayList<>(command.argv());
        argv.add("--socket-path=" + socket.toAbsolutePath());
        Files.writeString(log, "# " + String.join(" ", argv) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        long t0 = System.nanoTime();
        Process p = pb.start();
        long deadline = t0 + timeout.toNanos();
        while (true) {
            if (Files.exists(socket)) {
                try {
                    FrontendConnection c = FrontendConnection.connect(socket.toString());
                    return new RunningBackend(command, p, socket, log, System.nanoTime() - t0, c);
                } catch (ErrnoException notYetListening) {
                    // the file exists a moment before listen(): try again
                }
            }
            if (!p.isAlive()) {
                throw new IOException("backend exited with status " + p.exitValue() + " before accepting on " + socket
                        + "; log " + log + ":\n" + tail(log, 20));
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IOException("backend did not accept on " + socket + " within " + timeout + "; log " + log
                        + ":\n" + tail(log, 20));
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(0, 200_000);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    /** The first connection (once); later calls connect again, which only backends that keep listening allow. */
    public FrontendConnection connection() throws IOException {
        FrontendConnection c = first;
        if (c != null) {
            first = null;
            return c;
        }
        return FrontendConnection.connect(socket.toString());
    }

    public BackendCommand command() { return command; }
    public long pid() { return process.pid(); }
    public boolean isAlive() { return process.isAlive(); }
    public long startToAcceptNanos() { return startToAcceptNanos; }
    public Path log() { return log; }

    public ProcStatus status() throws IOException { return ProcStatus.of(process.pid()); }

    public OptionalInt exitCode() {
        return process.isAlive() ? OptionalInt.empty() : OptionalInt.of(process.exitValue());
    }

    /** Waits up to {@code ms} for the process to end on its own; its exit status, if it ended. */
    public OptionalInt awaitExit(long ms) {
        try {
            if (process.waitFor(ms, TimeUnit.MILLISECONDS)) return OptionalInt.of(process.exitValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OptionalInt.empty();
    }

    /** SIGKILL at once (a backend stuck in a scenario). */
    public void kill() {
        process.destroyForcibly();
        awaitExit(5_000);
    }

    /** SIGTERM, SIGKILL after 5 s; removes the socket. */
    @Override
    public void close() {
        FrontendConnection c = first;
        first = null;
        if (c != null) c.close();
        if (process.isAlive()) {
            process.destroy();
            if (awaitExit(5_000).isEmpty()) kill();
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // best effort
        }
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}
