package dev.panamavgpu.testguest.vm;

/**
 * The Java twin of the scenes drawn with GLES by {@code test-guest/guest/gltest.c} (see the comment at the top of
 * that file; keep both in sync). {@code 0xRRGGBB}; {@code w}, {@code h} are the guest's mode size; y counts from
 * the top of the screen; rectangles are half-open; later rules win. Each scene is asymmetric top to bottom and
 * left to right, so a scanout shown upside down or mirrored does not pass.
 */
public final class GlScenes {
    private GlScenes() {}

    public enum Scene { A, B }

    private static final int[] BARS = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0x00FFFF, 0xFF00FF, 0x000000, 0x808080};

    private static boolean in(int x, int y, int x0, int y0, int x1, int y1) {
        return x >= x0 && x < x1 && y >= y0 && y < y1;
    }

    /** Scene A: a red drawn quad up left, a green scissored clear down right, colour bars near the bottom. */
    public static int a(int x, int y, int w, int h) {
        if (y >= h - 40 && y < h - 8) {
            for (int i = 0; i < 8; i++)
                if (x >= (i * w + 7) / 8 && x < ((i + 1) * w + 7) / 8) return BARS[i];
        }
        if (in(x, y, w / 2, h / 2, 7 * w / 8, 7 * h / 8)) return 0x00FF00;
        if (in(x, y, w / 8, h / 8, w / 2, h / 2)) return 0xFF0000;
        return 0x203040;
    }

    /** Scene B: a dark quad in the middle, magenta down left (drawn), cyan up right (scissored clear). */
    public static int b(int x, int y, int w, int h) {
        if (in(x, y, 3 * w / 4, 0, w, h / 4)) return 0x00FFFF;
        if (in(x, y, 0, 3 * h / 4, w / 4, h)) return 0xFF00FF;
        if (in(x, y, w / 4, h / 4, 3 * w / 4, 3 * h / 4)) return 0x1E3C5A;
        return 0xF0C878;
    }

    public static int pixel(Scene s, int x, int y, int w, int h) {
        return switch (s) {
            case A -> a(x, y, w, h);
            case B -> b(x, y, w, h);
        };
    }

    /** The whole expected image, row-major, {@code 0xRRGGBB}. */
    public static int[] render(Scene s, int w, int h) {
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) out[y * w + x] = pixel(s, x, y, w, h);
        return out;
    }

    /** The same image upside down: what a scanout read back without the GL-to-screen row flip shows. */
    public static int[] flipped(int[] img, int w, int h) {
        int[] out = new int[img.length];
        for (int y = 0; y < h; y++) System.arraycopy(img, y * w, out, (h - 1 - y) * w, w);
        return out;
    }
}
