package dev.panamavgpu.testguest.vnc;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.testguest.conformance.GpuRig;
import dev.panamavgpu.testguest.conformance.Setup;
import dev.panamavgpu.testguest.driver.Backing;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.qxl.QxlGuest;
import dev.panamavgpu.testguest.vm.BackendProcess;
import dev.panamavgpu.testguest.vm.Json;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntBinaryOperator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The browser path as the README deploys it: the backend executable (sandbox on) serves VNC on a unix
 * socket, Debian's websockify serves noVNC and bridges to it, headless Chromium opens noVNC's
 * vnc_lite.html. The guest (GpuDriver) draws solid blocks over a gradient; Chromium's screenshot of
 * noVNC's unscaled canvas holds exactly those pixels, and again after the guest redraws the blocks.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class NoVncBrowserTest {
    static final int W = 640, H = 480, B8G8R8X8 = 2;
    static final int[] FIRST = {0xff0000, 0x00ff00, 0x0000ff, 0x80c040};
    static final int[] SECOND = {0xffff00, 0x00ffff, 0xff00ff, 0x404040};

    /** Four solid blocks on the top half (any channel swap shows), a gradient below (any off-by-one shows). */
    static int picture(int x, int y, int[] blocks) {
        if (y < H / 2) return blocks[x / (W / 4)];
        int r = x * 255 / (W - 1), g = (y - H / 2) * 255 / (H / 2 - 1);
        return r << 16 | g << 8 | (255 - r);
    }

    @Test
    void chromiumShowsTheGuestsPictureThroughNoVncAndWebsockify() throws Exception {
        // installed by scripts/setup; missing means a broken setup, not a reason to skip
        assertTrue(Files.isExecutable(HeadlessChromium.BINARY) && Files.isExecutable(Websockify.BINARY)
                && Files.isRegularFile(Websockify.NOVNC.resolve("vnc_lite.html")), "chromium, websockify and novnc (scripts/setup)");
        Path repo = Path.of("").toAbsolutePath().getParent();
        Path logs = Path.of("target", "novnc").toAbsolutePath();
        Files.createDirectories(logs);
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "pvgpu-novnc-");
        Path gpuSocket = dir.resolve("gpu.sock"), vncSocket = dir.resolve("vnc.sock");
        // the VNC socket is bound after the GPU one: once it exists, both listen
        List<String> cmd = List.of(repo.resolve("scripts/panama-vgpu").toString(), "--socket-path=" + gpuSocket, "--vnc=unix:" + vncSocket);
        List<ProcessHandle> helpers = new ArrayList<>();
        try (BackendProcess backend = BackendProcess.launch(cmd, vncSocket, logs.resolve("backend.log"), Duration.ofSeconds(30));
             GpuRig rig = GpuRig.connect(gpuSocket.toString(), Setup.defaults(), null)) {
            Backing bk = draw(rig.gpu());
            try (Browser b = Browser.open(vncSocket, logs, helpers)) {
                CdpClient page = b.page;
                awaitBlocks(page, FIRST);
                int[] at = canvasOrigin(page);
                assertEquals(0, differing(screenshot(page, logs.resolve("first.png")), at, FIRST), "pixels differing from the guest's first picture");

                // the guest redraws the blocks only: that damage has to travel to the browser
                bk.fillRect(0, 0, W, H / 2, W * 4L, (x, y) -> picture(x, y, SECOND));
                rig.gpu().transfer(1, 0, 0, W, H / 2);
                rig.gpu().flush(1, 0, 0, W, H / 2);
                awaitBlocks(page, SECOND);
                assertEquals(0, differing(screenshot(page, logs.resolve("second.png")), at, SECOND), "pixels differing from the guest's second picture");
            }
            assertTrue(backend.isAlive(), "the backend still serves");
            String log = Files.readString(logs.resolve("backend.log"));
            assertTrue(log.contains("sandbox: "), "the backend ran sandboxed: " + log);
            assertTrue(log.contains("(unix socket) connected: RFB 3.8"), "noVNC came through websockify to the unix socket: " + log);
        } finally {
            Files.deleteIfExists(gpuSocket);
            Files.deleteIfExists(vncSocket);
            Files.deleteIfExists(dir);
        }
        List<ProcessHandle> left = helpers.stream().filter(ProcessHandle::isAlive).toList();
        assertTrue(left.isEmpty(), "processes left behind: " + left);
    }

    /**
     * The QXL device's COPY_BITS through noVNC's own CopyRect decoder (noVNC asks for CopyRect first):
     * the backend executable serves QXL over ivshmem (a guest driver in this JVM draws the picture on its
     * primary) and VNC on a unix socket; once the browser shows the picture, the guest copies the first
     * block over the last, overlapping the third, and the browser must show that exactly, the backend
     * having sent it as a CopyRect (its log line when the viewer leaves counts them).
     */
    @Test
    void noVncShowsAQxlCopyBitsItGotAsCopyRect() throws Exception {
        assertTrue(Files.isExecutable(HeadlessChromium.BINARY) && Files.isExecutable(Websockify.BINARY), "chromium and websockify (scripts/setup)");
        Path repo = Path.of("").toAbsolutePath().getParent();
        Path logs = Path.of("target", "novnc-qxl").toAbsolutePath();
        Files.createDirectories(logs);
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "pvgpu-novncq-");
        Path ivSocket = dir.resolve("iv.sock"), control = dir.resolve("ctl.sock"), vncSocket = dir.resolve("vnc.sock");
        List<String> cmd = List.of(repo.resolve("scripts/panama-vgpu").toString(), "--ivshmem-socket=" + ivSocket,
                "--control-socket=" + control, "--vnc=unix:" + vncSocket);
        List<ProcessHandle> helpers = new ArrayList<>();
        // the moved block: x 0..200 of the top half onto x 440..640 (over all of block 3 and part of block 2)
        IntBinaryOperator after = (x, y) -> y < H / 2 && x >= 440 ? picture(x - 440, y, FIRST) : picture(x, y, FIRST);
        try (BackendProcess backend = BackendProcess.launch(cmd, control, logs.resolve("backend.log"), Duration.ofSeconds(30));
             QxlGuest g = QxlGuest.connect(ivSocket.toString())) {
            g.setup();
            assertEquals(0, g.createPrimary(W, H, false));
            int[] px = new int[W * H];
            for (int i = 0; i < px.length; i++) px[i] = picture(i % W, i / W, FIRST);
            g.copyBitmap(0, 0, 0, W, H, px, 0, false);
            assertEquals(0, g.updateArea(0, 0, 0, W, H));
            try (Browser b = Browser.open(vncSocket, logs, helpers)) {
                awaitBlocks(b.page, FIRST);
                int[] at = canvasOrigin(b.page);
                g.copyBits(0, 440, 0, 200, H / 2, 0, 0, null);
                assertEquals(0, g.updateArea(0, 0, 0, W, H));
                awaitBlocks(b.page, new int[] {FIRST[0], FIRST[1], FIRST[2], FIRST[0]});
                assertEquals(0, differing(screenshot(b.page, logs.resolve("copied.png")), at, after),
                        "pixels differing from the guest's picture after COPY_BITS");
            }
            String log = "";
            for (int i = 0; i < 50 && !log.contains(" CopyRects"); i++) { // the line comes when the viewer has gone
                Thread.sleep(100);
                log = Files.readString(logs.resolve("backend.log"));
            }
            assertTrue(log.matches("(?s).*after \\d+ updates, [1-9]\\d* CopyRects.*"), "noVNC got the copy as a CopyRect: " + log);
        } finally {
            for (Path p : List.of(ivSocket, control, vncSocket)) Files.deleteIfExists(p);
            Files.deleteIfExists(dir);
        }
        List<ProcessHandle> left = helpers.stream().filter(ProcessHandle::isAlive).toList();
        assertTrue(left.isEmpty(), "processes left behind: " + left);
    }

    /** websockify on the VNC socket and headless Chromium with noVNC's vnc_lite.html open through it. */
    static final class Browser implements AutoCloseable {
        final Websockify ws;
        final HeadlessChromium chromium;
        final CdpClient page;
        private final List<ProcessHandle> ended;

        private Browser(Websockify ws, HeadlessChromium chromium, CdpClient page, List<ProcessHandle> ended) {
            this.ws = ws;
            this.chromium = chromium;
            this.page = page;
            this.ended = ended;
        }

        /** Opens it; when closed, the processes that ended go to {@code ended} (to check that none is left). */
        static Browser open(Path vncSocket, Path logs, List<ProcessHandle> ended) throws IOException, InterruptedException {
            Websockify ws = Websockify.startOnFreePort(vncSocket, logs.resolve("websockify.log"), Duration.ofSeconds(20));
            HeadlessChromium chromium = null;
            CdpClient page = null;
            try {
                chromium = HeadlessChromium.start(800, 600, logs.resolve("chromium.log"));
                page = chromium.page(Duration.ofSeconds(30));
                String url = "http://127.0.0.1:" + ws.port + "/vnc_lite.html?host=127.0.0.1&port=" + ws.port + "&path=websockify";
                // the window's size includes browser chrome even headless: pin the page's viewport instead
                page.call("Emulation.setDeviceMetricsOverride", Map.of("width", 800, "height", 600, "deviceScaleFactor", 1, "mobile", false),
                        Duration.ofSeconds(10));
                page.call("Page.navigate", Map.of("url", url), Duration.ofSeconds(15));
                return new Browser(ws, chromium, page, ended);
            } catch (IOException | InterruptedException | RuntimeException e) {
                new Browser(ws, chromium, page, ended).close();
                throw e;
            }
        }

        @Override
        public void close() {
            if (page != null) page.close();
            if (chromium != null) {
                chromium.close();
                ended.addAll(chromium.endedProcesses());
            }
            ws.close();
            ended.addAll(ws.endedProcesses());
        }
    }

    /** Shows the first picture on scanout 0 (B8G8R8X8: a little-endian word 0x00RRGGBB per pixel). */
    private static Backing draw(GpuDriver gpu) throws IOException {
        Backing bk = gpu.createWithBacking(1, B8G8R8X8, W, H);
        bk.fillRect(0, 0, W, H, W * 4L, (x, y) -> picture(x, y, FIRST));
        gpu.transfer(1, 0, 0, W, H);
        gpu.setScanout(0, 1, 0, 0, W, H);
        gpu.flush(1, 0, 0, W, H);
        return bk;
    }

    /** Polls the page (up to 20 s) until noVNC says connected and its canvas shows each block's colour. */
    private static void awaitBlocks(CdpClient page, int[] blocks) throws IOException, InterruptedException {
        String expr = "(() => { const e = document.getElementById('status'); if (!e) return 'page loading';"
                + " const s = e.textContent;"
                + " const c = document.querySelector('#screen canvas');"
                + " if (!c || !s.startsWith('Connected')) return s;"
                + " const g = c.getContext('2d');"
                + " return JSON.stringify([0,1,2,3].map(i => { const d = g.getImageData(" + (W / 8) + " + i * " + (W / 4) + ", " + (H / 4)
                + ", 1, 1).data; return d[0] << 16 | d[1] << 8 | d[2]; })); })()";
        String want = Json.write(List.of(blocks[0], blocks[1], blocks[2], blocks[3]));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Object seen;
        do {
            try {
                seen = page.evaluate(expr);
            } catch (IOException navigating) {
                seen = navigating.getMessage(); // e.g. the context went away while the page loaded: ask again
            }
            if (want.equals(seen)) return;
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        fail("noVNC did not show " + want + " in time; the page says " + seen);
    }

    /** Where noVNC's canvas starts on the page, in device pixels (one per CSS pixel here). */
    private static int[] canvasOrigin(CdpClient page) throws IOException {
        Object r = page.evaluate("(() => { const r = document.querySelector('#screen canvas').getBoundingClientRect();"
                + " return [r.left, r.top, r.width, r.height].join(','); })()");
        String[] v = String.valueOf(r).split(",");
        assertEquals(W, Double.parseDouble(v[2]), "canvas width (unscaled): " + r);
        assertEquals(H, Double.parseDouble(v[3]), "canvas height (unscaled): " + r);
        return new int[] {(int) Math.round(Double.parseDouble(v[0])), (int) Math.round(Double.parseDouble(v[1]))};
    }

    private static BufferedImage screenshot(CdpClient page, Path keep) throws IOException {
        Map<String, Object> r = page.call("Page.captureScreenshot", Map.of("format", "png"), Duration.ofSeconds(20));
        byte[] png = Base64.getDecoder().decode((String) r.get("data"));
        Files.write(keep, png); // for a look when the test fails
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    private static long differing(BufferedImage shot, int[] at, int[] blocks) {
        return differing(shot, at, (x, y) -> picture(x, y, blocks));
    }

    private static long differing(BufferedImage shot, int[] at, IntBinaryOperator want) {
        assertTrue(shot.getWidth() >= at[0] + W && shot.getHeight() >= at[1] + H,
                "screenshot " + shot.getWidth() + "x" + shot.getHeight() + " holds the canvas at " + at[0] + "," + at[1]);
        long n = 0;
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) if ((shot.getRGB(at[0] + x, at[1] + y) & 0xffffff) != want.applyAsInt(x, y)) n++;
        return n;
    }
}
