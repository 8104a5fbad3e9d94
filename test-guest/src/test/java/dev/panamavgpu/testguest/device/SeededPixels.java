package dev.panamavgpu.testguest.device;

/** Pixels no two seeds share, for tests that compare a resource's picture byte for byte. */
final class SeededPixels {
    private SeededPixels() {}

    /** {@code side} x {@code side} 32-bit pixels, every byte depending on the seed and the position. */
    static byte[] square(int seed, int side) {
        byte[] p = new byte[side * side * 4];
        for (int i = 0; i < p.length; i += 4) {
            int v = seed * 0x9E3779B1 + (i >> 2) * 0x85EBCA6B;
            p[i] = (byte) v;
            p[i + 1] = (byte) (v >>> 8);
            p[i + 2] = (byte) (v >>> 16);
            p[i + 3] = (byte) (v >>> 24);
        }
        return p;
    }
}
