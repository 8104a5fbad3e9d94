package dev.panamavgpu.testguest.vm;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * An exact comparison of a screenshot (PNG) with the {@code 0xRRGGBB} picture expected, and the
 * wait for a screen to settle on it: what every guest scenario's picture steps share.
 */
record ScreenDiff(long count, int imgW, int imgH, int minX, int minY, int maxX, int maxY, int sampleX, int sampleY,
                  int got, int want, String problem) {
    String describe() {
        if (problem != null) return problem;
        return String.format(Locale.ROOT, "differences in x %d..%d y %d..%d, e.g. (%d,%d) got %06X want %06X", minX,
                maxX, minY, maxY, sampleX, sampleY, got, want);
    }

    /** No picture to compare ({@code problem} says why): every expected pixel counts as different. */
    static ScreenDiff failed(String problem, int w, int h) {
        return new ScreenDiff((long) w * h, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, problem);
    }

    /** Compares a PNG with an expected picture; a size mismatch counts every expected pixel. */
    static ScreenDiff of(Path png, int[] expected, int w, int h) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        if (img == null) return failed("unreadable image " + png, w, h);
        if (img.getWidth() != w || img.getHeight() != h)
            return new ScreenDiff((long) w * h, img.getWidth(), img.getHeight(), 0, 0, 0, 0, 0, 0, 0, 0,
                    "screen is " + img.getWidth() + "x" + img.getHeight() + ", expected " + w + "x" + h);
        int[] got = img.getRGB(0, 0, w, h, null, 0, w);
        long n = 0;
        int minX = Integer.MAX_VALUE, minY = Integer.MAX_VALUE, maxX = -1, maxY = -1, sx = -1, sy = -1, sg = 0, sw = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int g = got[y * w + x] & 0xFFFFFF, e = expected[y * w + x] & 0xFFFFFF;
                if (g != e) {
                    if (n++ == 0) {
                        sx = x;
                        sy = y;
                        sg = g;
                        sw = e;
                    }
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        return new ScreenDiff(n, w, h, minX, minY, maxX, maxY, sx, sy, sg, sw, null);
    }

    /** Takes one screenshot into {@code shot}: null, or why there is none. */
    interface Capture { String take(Path shot) throws IOException; }

    /** The last comparison, and how many screenshots it took. */
    record Settled(ScreenDiff diff, int attempts) {}

    /** Captures every 250 ms until the screen equals {@code expected} or {@code timeout} passes. */
    static Settled settle(Capture capture, Path shot, int[] expected, int w, int h, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int attempts = 0;
        while (true) {
            attempts++;
            String problem = capture.take(shot);
            ScreenDiff d = problem != null ? failed(problem, w, h) : of(shot, expected, w, h);
            if (d.count() == 0 || System.nanoTime() > deadline) return new Settled(d, attempts);
            GuestScenario.sleep(250);
        }
    }

    static void writePng(Path file, int[] rgb, int w, int h) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, w, h, rgb, 0, w);
        ImageIO.write(img, "png", file.toFile());
    }
}
