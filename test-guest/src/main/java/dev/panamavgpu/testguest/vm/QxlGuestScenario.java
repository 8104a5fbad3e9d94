package dev.panamavgpu.testguest.vm;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import javax.imageio.ImageIO;

/**
 * The QXL-over-ivshmem end-to-end scenario: the backend serves ivshmem only
 * ({@code --ivshmem-socket --control-socket}); QEMU/TCG boots the test guest with
 * {@code ivshmem-doorbell,vectors=2} and no GPU, {@code pvgpu.test=qxl} makes /init run {@code qxltest}, which
 * draws {@link QxlPicture} through the rings. The primary surface is then read back through the control
 * socket as PNG and compared with {@link QxlPicture} exactly. Logs go to the output directory (serial.log,
 * qemu.log, backend.log, qxl.png, qxl.expected.png on a mismatch).
 */
public final class QxlGuestScenario {

    public record Options(List<String> backendCommand, Path outDir, Path kernel, Path initrd, String qemu, Duration timeout,
                          String vncDisplay) {
        public Options {
            backendCommand = List.copyOf(backendCommand);
        }

        public Options(List<String> backendCommand, Path outDir, Path kernel, Path initrd, String qemu, Duration timeout) {
            this(backendCommand, outDir, kernel, initrd, qemu, timeout, null);
        }

        /** Also compare what gvnccapture gets from the backend's VNC server ({@code HOST:DISPLAY}, the backend runs --vnc). */
        public Options withVnc(String display) {
            return new Options(backendCommand, outDir, kernel, initrd, qemu, timeout, display);
        }

        public static Options defaults(List<String> backendCommand, Path outDir, Path kernel, Path initrd) {
            return new Options(backendCommand, outDir, kernel, initrd, "qemu-system-x86_64", Duration.ofSeconds(180));
        }
    }

    /** @param differingPixels -1 when no comparison was made */
    public record Result(boolean passed, String guestLine, long differingPixels, String detail, List<String> qemuCommandLine) {
        public String summary() {
            return String.format(Locale.ROOT, "qemu:  %s%nguest: %s%n%s diff=%s %s%n", QemuVm.shellJoin(qemuCommandLine),
                    guestLine, passed ? "RESULT PASS" : "RESULT FAIL", differingPixels < 0 ? "-" : differingPixels, detail);
        }
    }

    private QxlGuestScenario() {}

    /** Runs the scenario. Never leaves QEMU or the backend running. */
    public static Result run(Options o) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path out = o.outDir().toAbsolutePath();
        Files.createDirectories(out);
        Files.deleteIfExists(out.resolve("qxl.png"));
        Files.deleteIfExists(out.resolve("qxl.expected.png"));
        Path sockDir = Files.createTempDirectory(Path.of("/tmp"), "pvgpu-qxl-"); // sun_path has 108 bytes
        Path ivSocket = sockDir.resolve("iv.sock"), control = sockDir.resolve("ctl.sock");
        List<String> backendCmd = new ArrayList<>(o.backendCommand());
        backendCmd.add("--ivshmem-socket=" + ivSocket);
        backendCmd.add("--control-socket=" + control);
        QemuVm.Config cfg = new QemuVm.Config(o.qemu(), o.kernel(), o.initrd(), QemuVm.Config.DEFAULT_APPEND + " pvgpu.test=qxl",
                null, sockDir.resolve("qmp.sock"), out, "256M",
                List.of("-chardev", "socket,id=iv,path=" + ivSocket, "-device", "ivshmem-doorbell,chardev=iv,vectors=2"));
        List<String> qemuCmd = QemuVm.commandLine(cfg);
        // the control socket is created after the ivshmem one listens: QEMU must find it listening
        try (BackendProcess backend = BackendProcess.launch(backendCmd, control, out.resolve("backend.log"), Duration.ofSeconds(30));
             // watching from before the guest draws: its COPY_BITS must reach this viewer as a CopyRect
             LiveViewer live = o.vncDisplay() == null ? null
                     : LiveViewer.watch(o.vncDisplay(), QxlPicture.WIDTH, QxlPicture.HEIGHT, QxlPicture.expected(), Duration.ofSeconds(10));
             QemuVm vm = QemuVm.start(cfg)) {
            String line;
            try {
                line = vm.awaitAny(o.timeout(), "PVGPU-QXL-DONE", "PVGPU-FAIL").text();
            } catch (TimeoutException e) {
                return new Result(false, "-", -1, e.getMessage(), qemuCmd);
            }
            if (!line.contains("PVGPU-QXL-DONE")) return new Result(false, line, -1, "the guest program failed", qemuCmd);
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png(control)));
            Files.write(out.resolve("qxl.png"), png(control));
            long diff = compare(img, out);
            if (!backend.isAlive()) return new Result(false, line, diff, "backend died", qemuCmd);
            String vnc = "";
            long vncDiff = 0;
            if (o.vncDisplay() != null) { // the same picture through a real VNC viewer, retried while the device renders lazily
                Path shot = out.resolve("qxl-vnc.png");
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                String problem;
                do {
                    Files.deleteIfExists(shot);
                    problem = VncCapture.capture(o.vncDisplay(), shot, Duration.ofSeconds(20));
                    vncDiff = problem != null ? (long) QxlPicture.WIDTH * QxlPicture.HEIGHT : compare(ImageIO.read(shot.toFile()), out);
                } while (vncDiff != 0 && System.nanoTime() < deadline);
                vnc = "; gvnccapture " + (problem != null ? problem : "diff=" + vncDiff + " [qxl-vnc.png]");
            }
            boolean liveOk = true;
            if (live != null) {
                long liveDiff;
                try {
                    liveDiff = live.awaitMatch(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
                liveOk = liveDiff == 0 && live.copyRects() >= 1;
                vnc += "; " + live.describe() + (liveOk ? "" : " (expected the picture exactly and at least 1 CopyRect)");
            }
            boolean ok = diff == 0 && vncDiff == 0 && liveOk;
            return new Result(ok, line, diff, (diff == 0 ? "primary surface matches" : "see qxl.png, qxl.expected.png") + vnc, qemuCmd);
        } finally {
            try (var left = Files.list(sockDir)) {
                for (Path p : left.toList()) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(sockDir);
        }
    }

    /** Pixels of {@code img} differing from {@link QxlPicture} (the whole picture when the size differs). */
    static long compare(BufferedImage img, Path out) throws IOException {
        int w = QxlPicture.WIDTH, h = QxlPicture.HEIGHT;
        int[] want = QxlPicture.expected();
        long diff;
        if (img == null || img.getWidth() != w || img.getHeight() != h) {
            diff = (long) w * h;
        } else {
            int[] got = img.getRGB(0, 0, w, h, null, 0, w);
            diff = 0;
            for (int i = 0; i < got.length; i++) if ((got[i] & 0xffffff) != want[i]) diff++;
        }
        if (diff != 0) {
            BufferedImage e = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            e.setRGB(0, 0, w, h, want, 0, w);
            ImageIO.write(e, "png", out.resolve("qxl.expected.png").toFile());
        }
        return diff;
    }

    /** The control socket's {@code png} request: "ok W H LENGTH\n" then the PNG bytes. */
    static byte[] png(Path control) throws IOException {
        byte[] all;
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(control));
            c.write(ByteBuffer.wrap("png\n".getBytes(StandardCharsets.US_ASCII)));
            try (InputStream in = Channels.newInputStream(c)) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                in.transferTo(b);
                all = b.toByteArray();
            }
        }
        int nl = 0;
        while (nl < all.length && all[nl] != '\n') nl++;
        String head = new String(all, 0, nl, StandardCharsets.US_ASCII);
        String[] f = head.split(" ");
        if (f.length != 4 || !f[0].equals("ok")) throw new IOException("control socket: " + head);
        byte[] png = Arrays.copyOfRange(all, Math.min(nl + 1, all.length), all.length);
        if (png.length != Long.parseLong(f[3])) throw new IOException("control socket: " + png.length + " bytes after " + head);
        return png;
    }
}
