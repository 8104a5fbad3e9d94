package dev.panamavgpu.qxl;

import dev.panamavgpu.gpu.display.DamageRect;
import dev.panamavgpu.gpu.display.ScreenWatcher;
import dev.panamavgpu.qxl.QxlCommand.Draw;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.function.Supplier;

/**
 * What remote viewers (VNC) are told about the QXL primary surface: its size, what each drawable
 * drawn on it changed, and its pixels. A COPY_BITS that moved one rectangle within the primary is
 * told as a copy (viewers get a CopyRect instead of the pixels); every other drawable as damage of
 * its bbox. Loop thread only, like the device that owns it.
 */
final class PrimaryWatch {
    private ScreenWatcher watcher = ScreenWatcher.NONE;

    /** Before the server starts; {@code primary} gives the primary's host copy, or null without one. */
    void watch(ScreenWatcher w, Supplier<HostSurface> primary) {
        watcher = w;
        w.attached((scanoutId, r, out) -> scanoutId == 0 && render(primary.get(), r, out));
    }

    void shown(int width, int height) { watcher.scanout(0, width, height); }

    void gone() { watcher.scanout(0, 0, 0); }

    /** {@code d} was drawn on the primary {@code dst}. */
    void drawn(Draw d, HostSurface dst) {
        if (d instanceof QxlCommand.CopyBits c) {
            // what Renderer.copy wrote: the bbox where its source lies inside the surface, cut by the clip
            long dx = (long) c.bbox().left() - c.srcX(), dy = (long) c.bbox().top() - c.srcY();
            List<QxlRect> pieces = Renderer.pieces(c.bbox().intersect(dst.bounds().translate(dx, dy)), dst.bounds(), c.clip());
            if (pieces.isEmpty()) return; // nothing changed
            if (pieces.size() == 1) { // several clip pieces would each read what another wrote: damage
                QxlRect p = pieces.get(0);
                watcher.copy(0, new DamageRect(p.left(), p.top(), p.width(), p.height()), p.left() - dx, p.top() - dy);
                return;
            }
        }
        QxlRect b = d.bbox().intersect(dst.bounds());
        if (!b.isEmpty()) watcher.damage(0, new DamageRect(b.left(), b.top(), b.width(), b.height()));
    }

    /** The x8r8g8b8 pixels of {@code r} of the primary (the watcher's DamageSource). */
    private static boolean render(HostSurface s, DamageRect r, MemorySegment out) {
        if (s == null || r.x() + r.width() > s.width || r.y() + r.height() > s.height) return false;
        long rowBytes = r.width() * 4;
        for (long y = 0; y < r.height(); y++)
            MemorySegment.copy(s.pixels(), (r.y() + y) * s.stride + r.x() * 4, out, y * rowBytes, rowBytes);
        return true;
    }
}
