package dev.panamavgpu.testguest.vm;

/**
 * The picture test-guest/guest/qxltest.c draws on its 320x240 QXL primary surface, as 0xRRGGBB values,
 * row-major. This is the Java twin of the specification in qxltest.c's header comment: keep both in sync.
 */
public final class QxlPicture {
    public static final int WIDTH = 320, HEIGHT = 240;

    private QxlPicture() {}

    public static int[] expected() {
        int[] px = new int[WIDTH * HEIGHT];
        rect(px, 0, 0, WIDTH, HEIGHT, 0x203040);
        for (int j = 0; j < 4; j++) {
            for (int i = 0; i < 8; i++) {
                rect(px, 8 + 38 * i, 8 + 30 * j, 30, 22, (32 * i + 31) << 16 | (64 * j + 63) << 8 | (0x40 + 8 * i + 16 * j));
            }
        }
        for (int y = 0; y < 48; y++) {
            for (int x = 0; x < 64; x++) px[(140 + y) * WIDTH + 16 + x] = bitmapA(x, y);
        }
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 96; x++) px[(150 + y) * WIDTH + 200 + x] = bitmapB(x, y);
        }
        rect(px, 180, 170, 40, 30, 0x00ff00);
        int[] old = px.clone(); // COPY_BITS (8, 8, 106, 52) to (30, 20), overlapping: the source as it was
        for (int r = 0; r < 52; r++) System.arraycopy(old, (8 + r) * WIDTH + 8, px, (20 + r) * WIDTH + 30, 106);
        return px;
    }

    static int bitmapA(int x, int y) { return (4 * x) << 16 | (5 * y) << 8 | ((2 * (x + y)) & 0xff); }

    static int bitmapB(int x, int y) { return ((x ^ y) & 0xff) << 16 | (2 * x) << 8 | (3 * y); }

    private static void rect(int[] px, int x, int y, int w, int h, int rgb) {
        for (int r = y; r < y + h; r++) {
            for (int c = x; c < x + w; c++) px[r * WIDTH + c] = rgb;
        }
    }
}
