package dev.panamavgpu.vnc;

/**
 * The guest's cursor as viewers draw it: a 64x64 a8r8g8b8 image (row-major ints) and its hotspot,
 * or hidden. Immutable once made; shared by every viewer's frames.
 */
record CursorShape(int hotX, int hotY, int width, int height, int[] argb) {
    static final int SIZE = 64;
    static final CursorShape HIDDEN = new CursorShape(0, 0, 0, 0, new int[0]);

    boolean hidden() { return width == 0; }
}
