package dev.panamavgpu.testguest.vnc;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's Chromium, headless, with a fresh profile and DevTools on a port it picks itself (no race for
 * a free port: it writes the port into the profile's DevToolsActivePort). One blank page, driven over
 * {@link CdpClient}.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Pattern PAGE_WS = Pattern.compile("\"type\"\\s*:\\s*\"page\"[^}]*?\"webSocketDebuggerUrl\"\\s*:\\s*\"(ws://[^\"]+)\"");

    private final Process process;
    private final Path profile;
    private List<ProcessHandle> ended = List.of();

    private HeadlessChromium(Process process, Path profile) {
        this.process = process;
        this.profile = profile;
    }

    /** Starts it with a {@code width}x{@code height} window at one device pixel per CSS pixel, output to {@code log}. */
    static HeadlessChromium start(int width, int height, Path log) throws IOException {
        Path profile = Files.createTempDirectory(Path.of("/tmp"), "pvgpu-chromium-");
        List<String> cmd = List.of(BINARY.toString(),
                // root (CI) needs --no-sandbox; the rest keeps it off the (closed) network and quiet
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
                // exact pixels in the screenshot: no HiDPI scaling, no colour-profile conversion
                "--window-size=" + width + "," + height, "--force-device-scale-factor=1", "--force-color-profile=srgb",
                "--hide-scrollbars", "--mute-audio", "about:blank");
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        return new HeadlessChromium(p, profile);
    }

    /** Waits for DevTools and returns a client on the blank page. */
    CdpClient page(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path portFile = profile.resolve("DevToolsActivePort");
        // closed at once: an HttpClient's selector thread and fds otherwise live until a GC, in a JVM other tests count fds in
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            return page(http, portFile, deadline);
        }
    }

    private CdpClient page(HttpClient http, Path portFile, long deadline) throws IOException, InterruptedException {
        IOException last = null;
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) throw new IOException("chromium exited with status " + process.exitValue());
            if (Files.exists(portFile)) {
                List<String> lines = Files.readAllLines(portFile, StandardCharsets.UTF_8);
                if (!lines.isEmpty() && !lines.getFirst().isBlank()) {
                    try {
                        String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lines.getFirst().trim() + "/json/list"))
                                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
                        Matcher m = PAGE_WS.matcher(list);
                        if (m.find()) return CdpClient.open(URI.create(m.group(1)));
                    } catch (IOException e) {
                        last = e; // DevTools not answering yet
                    }
                }
            }
            Thread.sleep(100);
        }
        throw new IOException("no DevTools page target in time", last);
    }

    /** The browser and its helper processes, once {@link #close} ran. */
    List<ProcessHandle> endedProcesses() {
        return ended;
    }

    @Override
    public void close() {
        ended = ProcessTree.end(process, 3000);
        try (Stream<Path> s = Files.walk(profile)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a leftover profile in /tmp is harmless
        }
    }
}
