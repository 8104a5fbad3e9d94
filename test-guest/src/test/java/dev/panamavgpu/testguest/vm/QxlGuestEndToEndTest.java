package dev.panamavgpu.testguest.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real Linux guest under QEMU 10 (TCG) drives our QXL device over ivshmem-doorbell with the static C
 * program qxltest (sysfs BAR mmaps, doorbells, polling); the primary surface, read back through the control
 * socket and as Debian's gvnccapture gets it from the backend's VNC server, must equal {@link QxlPicture} exactly. Needs what scripts/setup installs; scripts/test runs it.
 */
class QxlGuestEndToEndTest {

    @Test
    void linuxGuestDrawsThroughQxlOverIvshmem() throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent();
        Path out = Path.of("target", "e2e-qxl").toAbsolutePath();
        Path guest = Path.of("target", "e2e", "guest").toAbsolutePath(); // shared with GuestEndToEndTest
        Files.createDirectories(out);
        Process build = new ProcessBuilder(repo.resolve("test-guest/guest/build-initramfs").toString(), guest.toString())
                .inheritIO().start();
        assertTrue(build.waitFor(600, TimeUnit.SECONDS) && build.exitValue() == 0, "building the test guest");
        int port = VncCapture.freePort(); // and the primary once more through a VNC viewer (gvnccapture)
        List<String> backend = List.of(repo.resolve("scripts/panama-vgpu").toString(), "--vnc=127.0.0.1:" + port, "--vnc-no-auth");
        QxlGuestScenario.Result r = QxlGuestScenario.run(QxlGuestScenario.Options.defaults(backend, out,
                guest.resolve("vmlinuz"), guest.resolve("initramfs.cpio.gz")).withVnc("127.0.0.1:" + (port - 5900)));
        System.out.println(r.summary());
        assertTrue(r.guestLine().contains("PVGPU-QXL-DONE drawables 37 released 37"), r.summary() + "logs in " + out);
        assertEquals(0, r.differingPixels(), r.summary() + "logs in " + out);
        assertTrue(r.passed(), r.summary());
    }

    @Test
    void theComparisonSeesASinglePixel(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        int w = QxlPicture.WIDTH, h = QxlPicture.HEIGHT;
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, java.awt.image.BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, w, h, QxlPicture.expected(), 0, w);
        assertEquals(0, QxlGuestScenario.compare(img, dir));
        img.setRGB(250, 200, img.getRGB(250, 200) ^ 1);
        assertEquals(1, QxlGuestScenario.compare(img, dir));
        assertTrue(Files.exists(dir.resolve("qxl.expected.png")));
    }
}
