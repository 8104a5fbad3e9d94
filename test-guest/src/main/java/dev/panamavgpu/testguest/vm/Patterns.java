package dev.panamavgpu.testguest.vm;

/**
 * The Java twin of the pixel patterns drawn by {@code test-guest/guest/drmtest.c} (see the comment at the top
 * of that file; keep both in sync). All colours are {@code 0xRRGGBB} (the X/alpha byte is not part of the
 * comparison); {@code w}, {@code h} are the guest's mode size (1280x800 by default).
 */
public final class Patterns {
    private Patterns() {}

    /** The guest steps whose primary-plane content is known. */
    public enum Pattern { A, B, C }

    private static final int[] BARS = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0x00FFFF, 0xFF00FF, 0x000000, 0x808080};

    /** Step C's rectangle, x in [RECT_X0, RECT_X1), y in [RECT_Y0, RECT_Y1), filled with RECT_COLOR. */
    public static final int RECT_X0 = 100, RECT_X1 = 300, RECT_Y0 = 50, RECT_Y1 = 150, RECT_COLOR = 0xFF00FF;

    /** Cursor positions used by step D (set at the first, then moved to the second and third). */
    public static final int[][] CURSOR_POSITIONS = {{10, 10}, {200, 150}, {640, 400}};

    /** Pattern A: 8 vertical colour bars with a 1-pixel white border. */
    public static int a(int x, int y, int w, int h) {
        if (x == 0 || y == 0 || x == w - 1 || y == h - 1) return 0xFFFFFF;
        return BARS[x * 8 / w];
    }

    /** Pattern B: checkerboard of 32-px squares with a 64-row gradient band in the middle. */
    public static int b(int x, int y, int w, int h) {
        int top = h / 2 - 32;
        if (y >= top && y < h / 2 + 32) {
            int r = x * 255 / (w - 1), g = (y - top) * 4, bl = 255 - r;
            return (r << 16) | (g << 8) | bl;
        }
        return (((x / 32 + y / 32) & 1) != 0) ? 0x1E3C5A : 0xF0C878;
    }

    /** Pattern C: pattern B with the magenta rectangle of step C. */
    public static int c(int x, int y, int w, int h) {
        if (x >= RECT_X0 && x < RECT_X1 && y >= RECT_Y0 && y < RECT_Y1) return RECT_COLOR;
        return b(x, y, w, h);
    }

    /** The 64x64 cursor image of step D, ARGB (alpha in the top byte). */
    public static int cursor(int x, int y) {
        if (x < 32 && y < 32) return 0xFFFF0000;
        if (x + y < 64) return 0x8000FF00;
        return 0;
    }

    public static int pixel(Pattern p, int x, int y, int w, int h) {
        return switch (p) {
            case A -> a(x, y, w, h);
            case B -> b(x, y, w, h);
            case C -> c(x, y, w, h);
        };
    }

    /** The whole expected image, row-major, {@code 0xRRGGBB}. */
    public static int[] render(Pattern p, int w, int h) {
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) out[y * w + x] = pixel(p, x, y, w, h);
        return out;
    }
}
