package dev.panamavgpu.testguest.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Debian's gvnccapture (package gvncviewer, gtk-vnc): a real VNC viewer that saves what it got as a lossless PNG. */
public final class VncCapture {
    private VncCapture() {}

    /** Captures {@code HOST:DISPLAY} into {@code png}; null when it worked, else what went wrong. */
    public static String capture(String display, Path png, Duration timeout) throws IOException {
        Path log = Files.createTempFile("gvnccapture", ".log");
        try {
            Process p = new ProcessBuilder("gvnccapture", display, png.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return "gvnccapture did not finish within " + timeout.toSeconds() + " s";
            }
            if (p.exitValue() != 0 || !Files.exists(png))
                return "gvnccapture exited with " + p.exitValue() + ": " + Files.readString(log, StandardCharsets.UTF_8).strip().replace('\n', '|');
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** The socket address of {@code HOST:DISPLAY} (port 5900 + DISPLAY, the VNC convention gvnccapture uses). */
    public static java.net.InetSocketAddress address(String display) {
        int colon = display.lastIndexOf(':');
        return new java.net.InetSocketAddress(display.substring(0, colon), 5900 + Integer.parseInt(display.substring(colon + 1)));
    }

    /** A free TCP port at 5900 or above (gvnccapture names ports as displays, 5900 + N), as HOST:DISPLAY. */
    public static int freePort() throws IOException {
        for (int port = 5990; port < 6990; port++) {
            try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException busy) {
                // next
            }
        }
        throw new IOException("no free port in 5990..6989");
    }
}
