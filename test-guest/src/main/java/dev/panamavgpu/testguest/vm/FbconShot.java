package dev.panamavgpu.testguest.vm;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The check of the guest's fbcon text: what the screen showed (its size and its lit, non-black pixels).
 * Text cannot be compared pixel for pixel (the font is the kernel's), so the check is that the screen
 * has a mode's size and shows text: some light pixels on the black console, but far from a full screen.
 */
record FbconShot(boolean ok, int width, int height, long lit, int attempts) {
    String describe() {
        return String.format(Locale.ROOT, "screen %dx%d, %d lit pixels (text expected: 200 .. 10%%); %d screenshot(s)",
                width, height, lit, attempts);
    }

    /** Captures every 250 ms until the screen shows console text or {@code settle} passes. */
    static FbconShot take(ScreenDiff.Capture capture, Path shot, Duration settle) throws IOException {
        long deadline = System.nanoTime() + settle.toNanos();
        int attempts = 0;
        while (true) {
            attempts++;
            String problem = capture.take(shot);
            BufferedImage img = problem != null ? null : ImageIO.read(shot.toFile());
            int w = img == null ? 0 : img.getWidth(), h = img == null ? 0 : img.getHeight();
            long lit = 0;
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    if ((img.getRGB(x, y) & 0xFFFFFF) != 0) lit++;
            boolean ok = w >= 640 && h >= 400 && lit >= 200 && lit < (long) w * h / 10;
            if (ok || System.nanoTime() > deadline) return new FbconShot(ok, w, h, lit, attempts);
            GuestScenario.sleep(250);
        }
    }
}
