package dev.panamavgpu.gpu.display;

/** A rectangle in scanout coordinates; all values fit in 32 bits, so sums fit in a long. */
public record DamageRect(long x, long y, long width, long height) {
    public boolean isEmpty() { return width <= 0 || height <= 0; }

    public long pixels() { return width * height; }

    /** Whether the two share a pixel (false for null or empty ones). */
    public boolean intersects(DamageRect o) {
        return o != null && !isEmpty() && !o.isEmpty()
                && x < o.x + o.width && o.x < x + width && y < o.y + o.height && o.y < y + height;
    }

    /** Whether {@code o} lies wholly inside this rectangle. */
    public boolean contains(DamageRect o) {
        return o.x >= x && o.y >= y && o.x + o.width <= x + width && o.y + o.height <= y + height;
    }

    /** The smallest rectangle covering both. */
    public DamageRect union(DamageRect o) {
        if (o == null || o.isEmpty()) return this;
        if (isEmpty()) return o;
        long x0 = Math.min(x, o.x), y0 = Math.min(y, o.y);
        long x1 = Math.max(x + width, o.x + o.width), y1 = Math.max(y + height, o.y + o.height);
        return new DamageRect(x0, y0, x1 - x0, y1 - y0);
    }
}
