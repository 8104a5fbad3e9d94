package dev.panamavgpu.qxl;

import java.util.List;

/**
 * A command taken off the command or cursor ring, copied out of shared memory and validated by
 * {@link QxlDecoder}. Every one carries the {@link Release} that gives its memory back to the guest.
 */
sealed interface QxlCommand {
    Release release();

    /**
     * The guest's QXLReleaseInfo: where it is (a region offset, checked when decoded), the guest's
     * cookie read then (so a later guest write cannot change what is returned), and the guest bytes
     * the command pins while the host holds it.
     */
    record Release(long infoOffset, long id, long bytes) {}

    /** A region slice [offset, offset + length) checked against a memslot when decoded. */
    record Span(long offset, long length) {}

    record SurfaceCreate(Release release, int id, int format, int width, int height, int stride,
                         long dataOffset, boolean keepData) implements QxlCommand {}

    record SurfaceDestroy(Release release, int id) implements QxlCommand {}

    /** A drawable: a target surface, a bounding box and an optional clip (null: none). */
    sealed interface Draw extends QxlCommand {
        int surfaceId();
        QxlRect bbox();
        List<QxlRect> clip();
    }

    record Fill(Release release, int surfaceId, QxlRect bbox, List<QxlRect> clip, int color) implements Draw {}

    /** Bitmap rows as spans of guest memory, in order; {@code stride} bytes per row. */
    record Bitmap(int width, int height, long stride, boolean topDown, List<Span> spans) {}

    record CopyBitmap(Release release, int surfaceId, QxlRect bbox, List<QxlRect> clip, QxlRect srcArea, Bitmap bitmap)
            implements Draw {}

    record CopySurface(Release release, int surfaceId, QxlRect bbox, List<QxlRect> clip, QxlRect srcArea, int srcSurface)
            implements Draw {}

    record CopyBits(Release release, int surfaceId, QxlRect bbox, List<QxlRect> clip, int srcX, int srcY) implements Draw {}

    /** A cursor shape copied into the host. */
    record CursorShape(int type, int width, int height, int hotX, int hotY, byte[] data) {}

    record CursorSet(Release release, int x, int y, boolean visible, CursorShape shape) implements QxlCommand {}

    record CursorMove(Release release, int x, int y) implements QxlCommand {}

    record CursorHide(Release release) implements QxlCommand {}

    /** Valid but not rendered (NOP, UPDATE, MESSAGE, raster ops other than PUT...): released at once. */
    record Skipped(Release release, String what) implements QxlCommand {}
}
