package dev.panamavgpu.testguest.vm;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code virsh -c qemu:///system}, one command per call; every call and its answer go to a log file. */
public final class Virsh {
    private final String uri;
    private final Path log;

    public Virsh(String uri, Path log) {
        this.uri = uri;
        this.log = log;
    }

    /** Runs {@code virsh -c URI ARGS}; its stdout, or an IOException with its stderr when it fails. */
    public String run(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("virsh", "-q", "-c", uri));
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile("virsh", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("virsh " + String.join(" ", args) + ": no answer within 120 s");
            }
            String e = Files.readString(err, StandardCharsets.UTF_8).trim();
            note("$ virsh " + String.join(" ", args) + " -> " + p.exitValue() + (out.isBlank() ? "" : "\n" + out.strip())
                    + (e.isEmpty() ? "" : "\n! " + e));
            if (p.exitValue() != 0) throw new IOException("virsh " + String.join(" ", args) + " failed: " + e);
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(err);
        }
    }

    /** Like {@link #run} but ignores failure (clean-up). */
    public void tryRun(String... args) {
        try {
            run(args);
        } catch (IOException ignored) {
            // logged by run
        }
    }

    public void note(String line) {
        try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            w.write(line + "\n");
        } catch (IOException ignored) {
            // the log is a diagnostic
        }
    }
}
