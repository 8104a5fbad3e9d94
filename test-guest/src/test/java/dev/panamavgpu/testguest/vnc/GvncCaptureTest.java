package dev.panamavgpu.testguest.vnc;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.testguest.vm.VncCapture;
import dev.panamavgpu.vnc.VncAddress;
import dev.panamavgpu.vnc.VncConfig;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * VNC authentication against a viewer nobody here wrote: gvnccapture (gtk-vnc) types the password
 * into its terminal prompt (a pty from script(1)), and its PNG equals the guest's picture exactly.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GvncCaptureTest {
    @TempDir Path dir;

    static String capture(int port, String password, Path png) throws Exception {
        Process p = new ProcessBuilder("script", "-qc", "gvnccapture 127.0.0.1:" + (port - 5900) + " " + png, "/dev/null")
                .redirectErrorStream(true).start();
        Thread.sleep(1000); // the prompt comes after the security type: type the password when it asks
        p.getOutputStream().write((password + "\n").getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().flush();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "gvnccapture did not finish");
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void gvnccaptureAuthenticatesAndSeesTheGuestsPictureExactly() throws Exception {
        int port = VncCapture.freePort();
        VncConfig c = VncConfig.of(new VncAddress.Tcp("127.0.0.1", port), "secret12".getBytes(StandardCharsets.US_ASCII), false);
        try (VncRig r = new VncRig(c)) {
            VncViewerTest.draw(r.rig.gpu(), 1, VncViewerTest.B8G8R8X8, VncViewerTest.W, VncViewerTest.H, 6);
            Path png = dir.resolve("right.png");
            String out = capture(port, "secret12", png);
            assertTrue(out.contains("Saved display"), out);
            BufferedImage img = ImageIO.read(png.toFile());
            assertEquals(VncViewerTest.W, img.getWidth());
            assertEquals(VncViewerTest.H, img.getHeight());
            long diff = 0;
            for (int y = 0; y < img.getHeight(); y++)
                for (int x = 0; x < img.getWidth(); x++) if ((img.getRGB(x, y) & 0xffffff) != VncViewerTest.picture(x, y, 6)) diff++;
            assertEquals(0, diff, "pixels differing from the guest's picture");

            Path wrong = dir.resolve("wrong.png");
            out = capture(port, "secret13", wrong);
            assertFalse(Files.exists(wrong), "no picture with a wrong password: " + out);
        }
    }
}
