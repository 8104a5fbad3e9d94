package dev.panamavgpu.testguest.vnc;

import dev.panamavgpu.testguest.vm.VncCapture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Debian's websockify as the README deploys it: noVNC's files and the WebSocket on one localhost port,
 * bytes passed on to the backend's unix VNC socket ({@code --unix-target}).
 */
final class Websockify implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/websockify");
    static final Path NOVNC = Path.of("/usr/share/novnc");

    private final Process process;
    final int port;
    private List<ProcessHandle> ended = List.of();

    private Websockify(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts it on a free 127.0.0.1 port. Other programs on the machine may take the port between the
     * probe and websockify's bind (it then exits at once), so a few ports are tried.
     */
    static Websockify startOnFreePort(Path vncSocket, Path log, Duration timeout) throws IOException, InterruptedException {
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return start(VncCapture.freePort(), vncSocket, log, timeout);
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Starts it on 127.0.0.1:{@code port} and waits until that port accepts connections. */
    static Websockify start(int port, Path vncSocket, Path log, Duration timeout) throws IOException, InterruptedException {
        List<String> cmd = List.of(BINARY.toString(), "--web", NOVNC.toString(), "--unix-target=" + vncSocket, "127.0.0.1:" + port);
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        Websockify w = new Websockify(p, port);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!p.isAlive()) {
                w.close(); // its forked children, if any
                throw new IOException("websockify exited with status " + p.exitValue() + ", log " + log);
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return w;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    w.close();
                    throw new IOException("websockify not listening on " + port + " within " + timeout + ", log " + log);
                }
                Thread.sleep(100);
            }
        }
    }

    List<ProcessHandle> endedProcesses() {
        return ended;
    }

    @Override
    public void close() {
        ended = ProcessTree.end(process, 3000);
    }
}
