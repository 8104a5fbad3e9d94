package dev.panamavgpu.testguest.hardening;

import dev.panamavgpu.testguest.vm.BackendProcess;
import java.io.File;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Our backend as a process serving many VMs (--max-vms), with its stats socket and /proc figures. */
final class ManyVmsBackend implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();
    static final Path SCRIPT = Path.of("..", "scripts", "panama-vgpu").toAbsolutePath().normalize();

    final BackendProcess process;
    final Path stats;
    final String path;

    ManyVmsBackend(Path dir, String... options) throws IOException {
        int n = SEQ.incrementAndGet();
        stats = dir.resolve("stats-" + n + ".sock");
        List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString(), "--stats-socket=" + stats, "--page-dir=" + dir));
        cmd.addAll(List.of(options));
        process = BackendProcess.start(cmd, dir.resolve("gpu-" + n + ".sock"), dir.resolve("backend-" + n + ".log"), Duration.ofSeconds(30));
        path = process.socketPath().toString();
    }

    /** The stats socket's figures (retried while it is not bound yet). */
    Map<String, String> stats() throws Exception {
        IOException last = null;
        for (int i = 0; i < 100; i++) {
            try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(stats))) {
                ByteBuffer all = ByteBuffer.allocate(1 << 20);
                while (all.hasRemaining() && c.read(all) >= 0) { /* until closed */ }
                Map<String, String> m = new LinkedHashMap<>();
                for (String line : new String(all.array(), 0, all.position(), StandardCharsets.US_ASCII).split("\n")) {
                    int sp = line.indexOf(' ');
                    if (sp > 0) m.put(line.substring(0, sp), line.substring(sp + 1));
                }
                return m;
            } catch (IOException e) {
                last = e;
                Thread.sleep(50);
            }
        }
        throw last;
    }

    long stat(String name) throws Exception {
        String v = stats().get(name);
        if (v == null) throw new AssertionError("no figure " + name);
        return Long.parseLong(v);
    }

    /** Waits until the backend serves {@code n} VMs. */
    void awaitVms(int n, long timeoutMillis) throws Exception {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (stat("vms") != n) {
            if (System.nanoTime() > deadline) throw new AssertionError("the backend serves " + stat("vms") + " VMs, not " + n);
            Thread.sleep(20);
        }
    }

    int fds() {
        String[] l = new File("/proc/" + process.pid() + "/fd").list();
        return l == null ? -1 : l.length;
    }

    int threads() {
        String[] l = new File("/proc/" + process.pid() + "/task").list();
        return l == null ? -1 : l.length;
    }

    long mappings(String name) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + process.pid() + "/maps")).stream().filter(l -> l.contains(name)).count();
    }

    /** A line of /proc/PID/status in KiB ("RssAnon"). */
    long statusKib(String field) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status")))
            if (l.startsWith(field + ":")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
        return -1;
    }

    String log() throws IOException { return Files.readString(process.logFile(), StandardCharsets.ISO_8859_1); }

    /** Stops the process; its warnings go to the test's output (what to look at when a test failed). */
    @Override
    public void close() {
        process.close();
        try {
            log().lines().filter(l -> l.contains("WARN") || l.contains("ERROR")).limit(40).forEach(l -> System.out.println("backend: " + l));
        } catch (IOException e) {
            System.out.println("backend log: " + e);
        }
    }
}
