package dev.panamavgpu.qxl;

/**
 * A QXLRect, field order as on the wire (top, left, bottom, right); bottom and right exclusive.
 * Values come from the guest, so nothing here trusts them to be ordered.
 */
public record QxlRect(int top, int left, int bottom, int right) {
    public static final long SIZE = 16;

    public static QxlRect of(int x, int y, int width, int height) {
        return new QxlRect(y, x, y + height, x + width);
    }

    public boolean isEmpty() { return right <= left || bottom <= top; }
    public int width() { return isEmpty() ? 0 : right - left; }
    public int height() { return isEmpty() ? 0 : bottom - top; }

    public QxlRect intersect(QxlRect o) {
        return new QxlRect(Math.max(top, o.top), Math.max(left, o.left), Math.min(bottom, o.bottom), Math.min(right, o.right));
    }

    /** Moved by (dx, dy), in long arithmetic so guest values near the int limits cannot wrap. */
    public QxlRect translate(long dx, long dy) {
        return new QxlRect(clamp(top + dy), clamp(left + dx), clamp(bottom + dy), clamp(right + dx));
    }

    private static int clamp(long v) { return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v)); }
}
