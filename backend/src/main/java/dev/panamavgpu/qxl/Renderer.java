package dev.panamavgpu.qxl;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The raster operations of the supported drawables, on 32-bit pixels with ROP PUT. Every write is
 * limited to the destination bbox, the surface, each clip rect and the part whose source exists, so
 * no guest rectangle can reach outside a segment.
 */
final class Renderer {
    private Renderer() {}

    /** The parts of {@code bbox} to paint: inside the surface and inside any clip rect (all if none). */
    static List<QxlRect> pieces(QxlRect bbox, QxlRect surface, List<QxlRect> clip) {
        QxlRect base = bbox.intersect(surface);
        List<QxlRect> out = new ArrayList<>();
        if (base.isEmpty()) return out;
        if (clip == null) {
            out.add(base);
        } else {
            for (QxlRect c : clip) {
                QxlRect p = base.intersect(c);
                if (!p.isEmpty()) out.add(p);
            }
        }
        return out;
    }

    static void fill(HostSurface s, QxlRect bbox, List<QxlRect> clip, int color) {
        MemorySegment px = s.pixels();
        for (QxlRect p : pieces(bbox, s.bounds(), clip)) {
            long first = p.top() * s.stride + p.left() * 4L;
            for (int x = 0; x < p.width(); x++) px.set(JAVA_INT_UNALIGNED, first + 4L * x, color);
            long rowBytes = 4L * p.width();
            for (int y = p.top() + 1; y < p.bottom(); y++) MemorySegment.copy(px, first, px, y * s.stride + p.left() * 4L, rowBytes);
        }
    }

    /**
     * Copies into {@code bbox} of {@code dst} from a source of {@code srcWidth x srcHeight} pixels whose
     * row r (top-down) starts at {@code rowOffset(r)}; {@code (srcX, srcY)} maps to bbox's corner.
     * The source must not alias {@code dst} (callers snapshot first).
     */
    static void copy(HostSurface dst, QxlRect bbox, List<QxlRect> clip, MemorySegment src, long srcStride, boolean bottomUp,
                     int srcWidth, int srcHeight, int srcX, int srcY) {
        long dx = (long) bbox.left() - srcX, dy = (long) bbox.top() - srcY;
        QxlRect srcInDst = new QxlRect(0, 0, srcHeight, srcWidth).translate(dx, dy);
        MemorySegment px = dst.pixels();
        for (QxlRect p : pieces(bbox.intersect(srcInDst), dst.bounds(), clip)) {
            long rowBytes = 4L * p.width();
            for (int y = p.top(); y < p.bottom(); y++) {
                long sy = y - dy, sx = p.left() - dx;
                long row = bottomUp ? srcHeight - 1 - sy : sy;
                MemorySegment.copy(src, row * srcStride + sx * 4, px, y * dst.stride + p.left() * 4L, rowBytes);
            }
        }
    }

    /** Writes {@code area} of the host copy into the guest's surface memory (negative stride: bottom-up). */
    static void writeBack(HostSurface s, QxlRect area, MemorySegment guest, long guestStride) {
        QxlRect a = area.intersect(s.bounds());
        if (a.isEmpty()) return;
        long abs = Math.abs(guestStride);
        for (int y = a.top(); y < a.bottom(); y++) {
            long row = guestStride < 0 ? s.height - 1 - y : y;
            MemorySegment.copy(s.pixels(), y * s.stride + a.left() * 4L, guest, row * abs + a.left() * 4L, 4L * a.width());
        }
    }

    /** Loads the whole host copy from guest surface memory (KEEP_DATA). */
    static void readIn(HostSurface s, MemorySegment guest, long guestStride) {
        long abs = Math.abs(guestStride);
        for (int y = 0; y < s.height; y++) {
            long row = guestStride < 0 ? s.height - 1 - y : y;
            MemorySegment.copy(guest, row * abs, s.pixels(), y * s.stride, s.stride);
        }
    }
}
