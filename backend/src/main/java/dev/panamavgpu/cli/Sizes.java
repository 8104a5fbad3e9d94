package dev.panamavgpu.cli;

/** Byte sizes as users write them: 1073741824, 512K, 256M, 1G. */
final class Sizes {
    private Sizes() {}

    static long parse(String s) {
        String t = s.trim().toUpperCase();
        if (t.endsWith("B")) t = t.substring(0, t.length() - 1);
        long mult = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> mult = 1L << 10;
                case 'M' -> mult = 1L << 20;
                case 'G' -> mult = 1L << 30;
                default -> { }
            }
        }
        if (mult != 1) t = t.substring(0, t.length() - 1);
        try {
            long v = Math.multiplyExact(Long.parseLong(t), mult);
            if (v <= 0) throw new IllegalArgumentException("size must be positive: " + s);
            return v;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a size: " + s);
        }
    }
}
