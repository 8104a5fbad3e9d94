package dev.panamavgpu.vnc;

import dev.panamavgpu.gpu.display.DamageRect;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The guest's cursor drawn into the pixels of viewers that do not draw it themselves (no Cursor
 * pseudo-encoding): the image's alpha blended over the screen at the pointer minus the hotspot.
 * Loop thread only, like the hub that owns it.
 */
final class SoftCursor {
    private static final ValueLayout.OfInt PIXEL = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private CursorShape shape;  // the last image the guest set, kept while hidden
    private long x, y;          // pointer position (u32 from the guest)
    private boolean visible;

    CursorShape shape() { return shape; }
    boolean visible() { return visible && shape != null && !shape.hidden(); }

    void set(CursorShape s, long px, long py) {
        shape = s;
        x = px;
        y = py;
        visible = true;
    }

    void moveTo(long px, long py) {
        x = px;
        y = py;
        visible = true;
    }

    void hide() { visible = false; }

    /** The screen rectangle the cursor covers (unclipped; 64-bit, never wraps), or null when hidden. */
    DamageRect area() {
        if (!visible()) return null;
        return new DamageRect(x - shape.hotX(), y - shape.hotY(), shape.width(), shape.height());
    }

    /** Blends the cursor into {@code px}, the x8r8g8b8 copy of screen rectangle {@code r} (stride r.width*4). */
    void drawOnto(MemorySegment px, DamageRect r) {
        DamageRect a = area();
        if (a == null || r == null) return;
        long x0 = Math.max(a.x(), r.x()), y0 = Math.max(a.y(), r.y());
        long x1 = Math.min(a.x() + a.width(), r.x() + r.width()), y1 = Math.min(a.y() + a.height(), r.y() + r.height());
        for (long sy = y0; sy < y1; sy++) {
            for (long sx = x0; sx < x1; sx++) {
                int c = shape.argb()[(int) ((sy - a.y()) * shape.width() + (sx - a.x()))];
                int alpha = c >>> 24;
                if (alpha == 0) continue;
                long at = ((sy - r.y()) * r.width() + (sx - r.x())) * 4;
                px.set(PIXEL, at, alpha == 255 ? c & 0xffffff : blend(c, px.get(PIXEL, at), alpha));
            }
        }
    }

    private static int blend(int src, int dst, int a) {
        int r = ((src >>> 16 & 255) * a + (dst >>> 16 & 255) * (255 - a) + 127) / 255;
        int g = ((src >>> 8 & 255) * a + (dst >>> 8 & 255) * (255 - a) + 127) / 255;
        int b = ((src & 255) * a + (dst & 255) * (255 - a) + 127) / 255;
        return r << 16 | g << 8 | b;
    }
}
