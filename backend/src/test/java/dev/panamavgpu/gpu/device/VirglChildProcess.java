package dev.panamavgpu.gpu.device;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A long-lived {@link VirglChild} JVM seen from the fuzzer: sends an input, waits for the answer with
 * a timeout, and turns a dead or hung child into a {@link Finding} carrying its exit status and the
 * tail of its stderr (a log file, so the child never blocks on a full pipe). After a finding the
 * child is gone; the next {@link #run} starts a new one.
 */
final class VirglChildProcess implements AutoCloseable {
    /** Generous: llvmpipe compiles shaders on the first draw, and the machine is shared. */
    static final long TIMEOUT_SECONDS = 20;

    /** The child died or hung on an input: what Jazzer should keep. */
    static final class Finding extends RuntimeException {
        Finding(String message) { super(message); }
    }

    private final Path log;
    private final List<String> jvmArgs;
    private final ExecutorService reader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "virgl-child-reader");
        t.setDaemon(true);
        return t;
    });
    private Process process;
    private DataOutputStream to;
    private DataInputStream from;
    private int inputs;

    VirglChildProcess(Path log, String... jvmArgs) {
        this.log = log;
        this.jvmArgs = List.of(jvmArgs);
    }

    /** The SUBMIT_3D response type the child answered for {@code input}; a {@link Finding} when it died or hung. */
    int run(byte[] input) throws IOException, InterruptedException {
        if (process == null) start();
        inputs++;
        try {
            to.writeInt(input.length);
            to.write(input);
            to.flush();
        } catch (IOException e) {
            throw finding("the child stopped reading");
        }
        return answer("input");
    }

    /** Starts a fresh child (also used to restart it periodically, so leaks in the renderer do not build up). */
    void start() throws IOException, InterruptedException {
        close();
        Files.createDirectories(log.getParent());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:-UsePerfData",
                "-XX:+UseSerialGC", "-Xmx256m", "-XX:-CreateCoredumpOnCrash",
                "-XX:ErrorFile=" + log.getParent().resolve("virgl-child-hs_err-%p.log")));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), VirglChild.class.getName()));
        process = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        to = new DataOutputStream(process.getOutputStream());
        from = new DataInputStream(process.getInputStream());
        inputs = 0;
        int ready = answer("start-up");
        if (ready != 0) throw finding("the child's first word is " + ready + ", not 0");
    }

    int inputs() { return inputs; }

    long pid() { return process == null ? -1 : process.pid(); }

    private int answer(String what) throws IOException, InterruptedException {
        Future<long[]> f = reader.submit(() -> new long[] {from.readInt(), from.readInt()});
        try {
            long[] a = f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            // the JVM writes its fatal-error summary to stdout: what is not our marker is that
            if (a[0] != VirglChild.MARK) throw finding("the child wrote something else than an answer", a);
            return (int) a[1];
        } catch (TimeoutException e) {
            f.cancel(true);
            throw finding("no answer to the " + what + " in " + TIMEOUT_SECONDS + " s (a hang)");
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof InterruptedIOException) throw (InterruptedIOException) e.getCause();
            throw finding("the child closed its answers (" + e.getCause() + ")");
        }
    }

    /** Kills what is left of the child and describes how it ended. */
    private Finding finding(String why) throws InterruptedException {
        return finding(why, null);
    }

    private Finding finding(String why, long[] read) throws InterruptedException {
        Process p = process;
        process = null;
        boolean exited = p.waitFor(10, TimeUnit.SECONDS);
        if (!exited) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        String status = !exited ? "alive (killed now)" : statusOf(p.exitValue());
        String stdout = "";
        if (read != null) {
            ByteBuffer start = ByteBuffer.allocate(8).putInt((int) read[0]).putInt((int) read[1]);
            byte[] rest;
            try { rest = reader.submit(() -> from.readNBytes(4096)).get(10, TimeUnit.SECONDS); } catch (Exception e) { rest = new byte[0]; }
            stdout = "; stdout:\n" + new String(start.array(), StandardCharsets.ISO_8859_1) + new String(rest, StandardCharsets.ISO_8859_1);
        }
        return new Finding("virgl child " + p.pid() + ": " + why + "; exit: " + status + stdout + "; stderr tail:\n" + tail());
    }

    /**
     * A fatal signal in native code does not reach the exit status: the JVM catches it, writes its
     * summary to stdout (kept in the finding) and an hs_err file, and exits with 1.
     */
    static String statusOf(int exit) {
        if (exit > 128) return exit + " (signal " + (exit - 128) + ")";
        if (exit == 3) return "3 (a Java exception: an oracle failed in the child)";
        return Integer.toString(exit);
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no stderr: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        Process p = process;
        process = null;
        if (p == null) return;
        try { to.close(); } catch (IOException ignored) { /* the child is going anyway */ }
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
