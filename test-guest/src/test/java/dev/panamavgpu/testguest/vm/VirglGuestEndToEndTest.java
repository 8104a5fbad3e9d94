package dev.panamavgpu.testguest.vm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A real Linux guest with Debian's Mesa under QEMU 10 (TCG), panama-vgpu started with {@code --virgl} as its GPU
 * ({@link VirglGuestScenario}): raw virtgpu 3D ioctls, GL_RENDERER names virgl, GLES scenes on EGL/GBM/KMS
 * compared pixel for pixel, page flips, an animation, fbcon before and after, stop/cont and system_reset, all
 * with 3D on. Needs what scripts/setup installs and caches (the Mesa layer); scripts/test runs it. Skipped, and
 * says so, only while the backend has no {@code --virgl} option.
 */
class VirglGuestEndToEndTest {

    @Test
    void mesaGuestRendersThroughVirgl() throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent();
        Path launcher = repo.resolve("scripts/panama-vgpu");
        Assumptions.assumeTrue(hasVirglOption(launcher),
                "skipped: this backend has no --virgl option yet (scripts/panama-vgpu --help does not list it)");
        Path out = Path.of("target", "e2e-virgl").toAbsolutePath();
        Path guest = Path.of("target", "e2e", "guest").toAbsolutePath(); // shared with GuestEndToEndTest
        Files.createDirectories(out);
        Process build = new ProcessBuilder(repo.resolve("test-guest/guest/build-initramfs").toString(), guest.toString())
                .inheritIO().start();
        assertTrue(build.waitFor(600, TimeUnit.SECONDS) && build.exitValue() == 0, "building the test guest");
        assertTrue(Files.isRegularFile(guest.resolve("initramfs-3d.img")),
                "no 3D guest image: the Mesa layer is missing from the cache (run scripts/setup)");
        GuestScenario.Result r = VirglGuestScenario.run(VirglGuestScenario.Options.defaults(
                List.of(launcher.toString(), "--virgl"), out, guest));
        String extra = Files.readString(out.resolve("result.txt"), StandardCharsets.UTF_8);
        System.out.println(extra);
        assertTrue(r.passed(), "3D end-to-end scenario failed:\n" + extra + "\nlogs and screenshots in " + out);
    }

    /** Whether the backend's --help lists --virgl. */
    static boolean hasVirglOption(Path launcher) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(launcher.toString(), "--help").redirectErrorStream(true).start();
        byte[] text = p.getInputStream().readAllBytes();
        p.waitFor(60, TimeUnit.SECONDS);
        return new String(text, StandardCharsets.UTF_8).contains("--virgl");
    }
}
