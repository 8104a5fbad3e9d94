package dev.panamavgpu.testguest.vm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real Linux guest under QEMU 10 (TCG) with panama-vgpu as its GPU: pattern, page flip, damage,
 * cursor, stop/cont and system_reset, each screenshot compared with the expected pixels exactly; and each
 * step once more as Debian's gvnccapture, a VNC viewer, gets it from the backend's VNC server (the fbcon text
 * equal to the screendump, the patterns, the cursor drawn in), and the cursor image through the Cursor
 * pseudo-encoding (GuestScenario).
 * Needs what scripts/setup installs; scripts/test (and CI) runs it.
 */
class GuestEndToEndTest {

    @Test
    void linuxGuestDisplaysThroughPanamaVgpu() throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent();
        Path out = Path.of("target", "e2e").toAbsolutePath();
        Path guest = out.resolve("guest");
        Files.createDirectories(out);
        Process build = new ProcessBuilder(repo.resolve("test-guest/guest/build-initramfs").toString(), guest.toString())
                .inheritIO().start();
        assertTrue(build.waitFor(600, TimeUnit.SECONDS) && build.exitValue() == 0, "building the test guest");
        // the backend also serves VNC: every pattern is checked a second time through a real viewer (gvnccapture)
        int port = VncCapture.freePort();
        List<String> backend = List.of(repo.resolve("scripts/panama-vgpu").toString(), "--vnc=127.0.0.1:" + port, "--vnc-no-auth");
        GuestScenario.Result r = GuestScenario.run(GuestScenario.Options.defaults(backend, out,
                guest.resolve("vmlinuz"), guest.resolve("initramfs.cpio.gz")).withVnc("127.0.0.1:" + (port - 5900)));
        System.out.println(r.summary());
        assertTrue(r.passed(), "end-to-end scenario failed:\n" + r.summary() + "\nlogs and screenshots in " + out);
    }
}
