package dev.panamavgpu.qxl;

import static dev.panamavgpu.qxl.QxlWire.LE64;

import dev.panamavgpu.qxl.QxlCommand.Bitmap;
import dev.panamavgpu.qxl.QxlCommand.Release;
import dev.panamavgpu.qxl.QxlCommand.Span;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a ring item into a {@link QxlCommand}: the one place guest command memory is parsed. Each
 * struct is copied out of the region before any field is used (the guest can change it at any time),
 * every address is translated through {@link MemSlots}, chunk chains are bounded, and sizes are
 * computed in long arithmetic with explicit limits. Faults are {@link GuestBug}s.
 */
final class QxlDecoder {
    static final int CMD_NOP = 0, CMD_DRAW = 1, CMD_UPDATE = 2, CMD_CURSOR = 3, CMD_MESSAGE = 4, CMD_SURFACE = 5;
    static final int MAX_DIMENSION = 16384;

    private final MemorySegment region;
    private final MemSlots slots;
    private final long maxImageBytes;

    QxlDecoder(MemorySegment region, MemSlots slots, long maxImageBytes) {
        this.region = region;
        this.slots = slots;
        this.maxImageBytes = maxImageBytes;
    }

    QxlCommand decode(long phys, int type, boolean cursorRing) throws GuestBug {
        if (cursorRing) {
            if (type != CMD_CURSOR) throw new GuestBug(GuestBug.Code.BAD_COMMAND, "type " + type + " on the cursor ring");
            return cursor(phys);
        }
        return switch (type) {
            case CMD_DRAW -> drawable(phys);
            case CMD_SURFACE -> surface(phys);
            case CMD_NOP, CMD_UPDATE, CMD_MESSAGE -> new QxlCommand.Skipped(release(copy(phys, 8), phys, 8), "command type " + type);
            default -> throw new GuestBug(GuestBug.Code.BAD_COMMAND, "command type " + type);
        };
    }

    /** A heap copy of {@code size} bytes at {@code phys}. */
    MemorySegment copy(long phys, long size) throws GuestBug {
        long off = slots.translate(phys, size);
        return MemorySegment.ofArray(new byte[(int) size]).copyFrom(region.asSlice(off, size));
    }

    private Release release(MemorySegment copy, long phys, long bytes) throws GuestBug {
        long id = copy.get(LE64, 0);
        if (id == 0) throw new GuestBug(GuestBug.Code.BAD_RELEASE_ID, "release id 0 (the ring uses 0 for 'empty')");
        return new Release(slots.translate(phys, 8), id, bytes);
    }

    private QxlCommand surface(long phys) throws GuestBug {
        MemorySegment c = copy(phys, QxlSurfaceCmd.SIZE);
        Release rel = release(c, phys, QxlSurfaceCmd.SIZE);
        int id = QxlWire.i32(c, QxlSurfaceCmd.SURFACE_ID);
        int kind = QxlWire.u8(c, QxlSurfaceCmd.TYPE);
        if (kind == QxlSurfaceCmd.DESTROY) return new QxlCommand.SurfaceDestroy(rel, id);
        if (kind != QxlSurfaceCmd.CREATE) throw new GuestBug(GuestBug.Code.BAD_COMMAND, "surface command type " + kind);
        if (id == 0) throw new GuestBug(GuestBug.Code.BAD_SURFACE, "surface 0 is the primary: create it with CREATE_PRIMARY");
        int format = QxlWire.i32(c, QxlSurfaceCmd.FORMAT);
        int width = QxlWire.i32(c, QxlSurfaceCmd.WIDTH);
        int height = QxlWire.i32(c, QxlSurfaceCmd.HEIGHT);
        int stride = QxlWire.i32(c, QxlSurfaceCmd.STRIDE);
        long data = QxlWire.u64(c, QxlSurfaceCmd.DATA);
        boolean keep = (QxlWire.i32(c, QxlSurfaceCmd.FLAGS) & QxlSurfaceCmd.FLAG_KEEP_DATA) != 0;
        long dataOffset = surfaceMemory(format, width, height, stride, data);
        return new QxlCommand.SurfaceCreate(rel, id, format, width, height, stride, dataOffset, keep);
    }

    /**
     * Checks a surface's shape as spice and QEMU do and returns the region offset of its pixels
     * (-1 when {@code data} is 0: a surface without guest memory).
     */
    long surfaceMemory(int format, int width, int height, int stride, long data) throws GuestBug {
        if (format != QxlSurfaceCmd.FMT_32_XRGB && format != QxlSurfaceCmd.FMT_32_ARGB) {
            throw new GuestBug(GuestBug.Code.BAD_SURFACE, "surface format " + format + " (32_xRGB and 32_ARGB are rendered)");
        }
        if (width < 1 || height < 1 || width > MAX_DIMENSION || height > MAX_DIMENSION) {
            throw new GuestBug(GuestBug.Code.BAD_SURFACE, "surface size " + width + "x" + height);
        }
        long abs = Math.abs((long) stride);
        if (abs < 4L * width || abs % 4 != 0) throw new GuestBug(GuestBug.Code.BAD_SURFACE, "stride " + stride + " for width " + width);
        long bytes = abs * height;
        if (bytes > Integer.MAX_VALUE) throw new GuestBug(GuestBug.Code.BAD_SURFACE, "surface of " + bytes + " bytes");
        return data == 0 ? -1 : slots.translate(data, bytes);
    }

    private QxlCommand drawable(long phys) throws GuestBug {
        MemorySegment d = copy(phys, QxlDrawable.SIZE);
        Release base = release(d, phys, QxlDrawable.SIZE);
        int surfaceId = QxlWire.i32(d, QxlDrawable.SURFACE_ID);
        int type = QxlWire.u8(d, QxlDrawable.TYPE);
        QxlRect bbox = QxlWire.readRect(d, QxlDrawable.BBOX);
        long bytes = QxlDrawable.SIZE;
        List<QxlRect> clip = null;
        int clipType = QxlWire.i32(d, QxlDrawable.CLIP_TYPE);
        if (clipType == QxlDrawable.CLIP_RECTS_TYPE) {
            long[] used = new long[1];
            clip = clipRects(QxlWire.u64(d, QxlDrawable.CLIP_DATA), used);
            bytes += used[0];
        } else if (clipType != QxlDrawable.CLIP_NONE) {
            return new QxlCommand.Skipped(base, "clip type " + clipType);
        }
        switch (type) {
            case QxlDrawable.DRAW_FILL -> {
                int brush = QxlWire.i32(d, QxlDrawable.FILL_BRUSH_TYPE);
                int rop = QxlWire.u16(d, QxlDrawable.FILL_ROP);
                if (brush != QxlDrawable.BRUSH_SOLID || rop != QxlDrawable.ROPD_OP_PUT || QxlWire.u64(d, QxlDrawable.FILL_MASK_BITMAP) != 0) {
                    return new QxlCommand.Skipped(base, "fill brush " + brush + " rop " + rop);
                }
                return new QxlCommand.Fill(rel(base, bytes), surfaceId, bbox, clip, QxlWire.i32(d, QxlDrawable.FILL_BRUSH_COLOR));
            }
            case QxlDrawable.DRAW_COPY -> {
                int rop = QxlWire.u16(d, QxlDrawable.COPY_ROP);
                QxlRect src = QxlWire.readRect(d, QxlDrawable.COPY_SRC_AREA);
                if (rop != QxlDrawable.ROPD_OP_PUT || QxlWire.u64(d, QxlDrawable.COPY_MASK_BITMAP) != 0) {
                    return new QxlCommand.Skipped(base, "copy rop " + rop);
                }
                if (src.isEmpty() || src.width() != bbox.width() || src.height() != bbox.height()) {
                    return new QxlCommand.Skipped(base, "scaled or empty copy");
                }
                long imagePhys = QxlWire.u64(d, QxlDrawable.COPY_SRC_BITMAP);
                MemorySegment desc = copy(imagePhys, QxlImage.DESCRIPTOR_SIZE);
                int imageType = QxlWire.u8(desc, QxlImage.TYPE);
                if (imageType == QxlImage.TYPE_SURFACE) {
                    MemorySegment img = copy(imagePhys, QxlImage.DESCRIPTOR_SIZE + 4);
                    int srcSurface = QxlWire.i32(img, QxlImage.SURFACE_ID);
                    return new QxlCommand.CopySurface(rel(base, bytes + QxlImage.DESCRIPTOR_SIZE + 4), surfaceId, bbox, clip, src, srcSurface);
                }
                if (imageType != QxlImage.TYPE_BITMAP) return new QxlCommand.Skipped(base, "image type " + imageType);
                MemorySegment img = copy(imagePhys, QxlImage.SIZE);
                Bitmap bm = bitmap(img);
                if (bm == null) return new QxlCommand.Skipped(base, "bitmap format " + QxlWire.u8(img, QxlImage.BM_FORMAT));
                if (src.left() < 0 || src.top() < 0 || src.right() > bm.width() || src.bottom() > bm.height()) {
                    throw new GuestBug(GuestBug.Code.BAD_COMMAND, "copy source " + src + " outside a " + bm.width() + "x" + bm.height() + " bitmap");
                }
                long held = bytes + QxlImage.SIZE;
                for (Span s : bm.spans()) held += s.length();
                return new QxlCommand.CopyBitmap(rel(base, held), surfaceId, bbox, clip, src, bm);
            }
            case QxlDrawable.DRAW_COPY_BITS -> {
                return new QxlCommand.CopyBits(rel(base, bytes), surfaceId, bbox, clip,
                        QxlWire.i32(d, QxlDrawable.COPY_BITS_SRC_X), QxlWire.i32(d, QxlDrawable.COPY_BITS_SRC_Y));
            }
            default -> {
                return new QxlCommand.Skipped(base, "draw type " + type);
            }
        }
    }

    private static Release rel(Release base, long bytes) {
        return new Release(base.infoOffset(), base.id(), bytes);
    }

    /** The bitmap of a QXLImage copy, or null for formats not rendered. */
    private Bitmap bitmap(MemorySegment img) throws GuestBug {
        int format = QxlWire.u8(img, QxlImage.BM_FORMAT);
        if (format != QxlImage.BITMAP_FMT_32BIT && format != QxlImage.BITMAP_FMT_RGBA) return null;
        int flags = QxlWire.u8(img, QxlImage.BM_FLAGS);
        long w = QxlWire.u32(img, QxlImage.BM_X), h = QxlWire.u32(img, QxlImage.BM_Y), stride = QxlWire.u32(img, QxlImage.BM_STRIDE);
        if (w < 1 || h < 1 || w > MAX_DIMENSION || h > MAX_DIMENSION || stride < 4 * w) {
            throw new GuestBug(GuestBug.Code.BAD_COMMAND, "bitmap " + w + "x" + h + " stride " + stride);
        }
        long need = stride * h; // both < 2^17 * 4 and 2^15: no overflow
        if (need > maxImageBytes) throw new GuestBug(GuestBug.Code.BAD_COMMAND, "bitmap of " + need + " bytes");
        long data = QxlWire.u64(img, QxlImage.BM_DATA);
        List<Span> spans = (flags & QxlImage.BITMAP_DIRECT) != 0
                ? List.of(new Span(slots.translate(data, need), need))
                : chunks(data, need);
        return new Bitmap((int) w, (int) h, stride, (flags & QxlImage.BITMAP_TOP_DOWN) != 0, spans);
    }

    /**
     * Follows a QXLDataChunk chain from {@code firstChunk} until {@code need} bytes are covered; each
     * chunk's header and data must lie in one slot, as spice checks. Returns the data spans.
     */
    List<Span> chunks(long firstChunk, long need) throws GuestBug {
        List<Span> spans = new ArrayList<>();
        long have = 0;
        long phys = firstChunk;
        int count = 0;
        while (have < need) {
            if (phys == 0) throw new GuestBug(GuestBug.Code.BAD_CHUNKS, "chunk chain ends after " + have + " of " + need + " bytes");
            if (++count > QxlImage.MAX_CHUNKS) throw new GuestBug(GuestBug.Code.BAD_CHUNKS, "chunk chain longer than " + QxlImage.MAX_CHUNKS);
            MemorySegment hdr = copy(phys, QxlImage.CHUNK_SIZE);
            long size = QxlWire.u32(hdr, QxlImage.CHUNK_DATA_SIZE);
            long off = slots.translate(phys, QxlImage.CHUNK_SIZE + size);
            long take = Math.min(size, need - have);
            if (take > 0) spans.add(new Span(off + QxlImage.CHUNK_SIZE, take));
            have += take;
            phys = QxlWire.u64(hdr, QxlImage.CHUNK_NEXT);
        }
        return spans;
    }

    /** Copies the bytes of {@code spans} into one heap array (callers bound the total first). */
    byte[] gather(List<Span> spans, long total) {
        byte[] out = new byte[(int) total];
        MemorySegment o = MemorySegment.ofArray(out);
        long at = 0;
        for (Span s : spans) {
            MemorySegment.copy(region, s.offset(), o, at, s.length());
            at += s.length();
        }
        return out;
    }

    private List<QxlRect> clipRects(long phys, long[] bytesUsed) throws GuestBug {
        MemorySegment head = copy(phys, 4 + QxlImage.CHUNK_SIZE);
        long n = QxlWire.u32(head, QxlDrawable.CLIP_RECTS_NUM);
        if (n > QxlDrawable.MAX_CLIP_RECTS) throw new GuestBug(GuestBug.Code.BAD_COMMAND, n + " clip rects (limit " + QxlDrawable.MAX_CLIP_RECTS + ")");
        long chunkPhys = physPlus(phys, QxlDrawable.CLIP_RECTS_CHUNK);
        List<Span> spans = chunks(chunkPhys, n * QxlRect.SIZE);
        MemorySegment rects = MemorySegment.ofArray(gather(spans, n * QxlRect.SIZE));
        List<QxlRect> out = new ArrayList<>((int) n);
        for (long i = 0; i < n; i++) out.add(QxlWire.readRect(rects, i * QxlRect.SIZE));
        bytesUsed[0] = 4 + QxlImage.CHUNK_SIZE + n * QxlRect.SIZE;
        return out;
    }

    /** {@code phys + delta} inside the same slot's offset bits; a carry into the generation is a fault. */
    static long physPlus(long phys, long delta) throws GuestBug {
        long off = phys & MemSlots.OFFSET_MASK;
        if (delta < 0 || off + delta > MemSlots.OFFSET_MASK) throw new GuestBug(GuestBug.Code.BAD_ADDRESS, String.format("address 0x%x + %d", phys, delta));
        return (phys & ~MemSlots.OFFSET_MASK) | (off + delta);
    }

    private QxlCommand cursor(long phys) throws GuestBug {
        MemorySegment c = copy(phys, QxlCursorCmd.SIZE);
        Release rel = release(c, phys, QxlCursorCmd.SIZE);
        int type = QxlWire.u8(c, QxlCursorCmd.TYPE);
        int x = QxlWire.i16(c, QxlCursorCmd.POS_X), y = QxlWire.i16(c, QxlCursorCmd.POS_Y);
        return switch (type) {
            case QxlCursorCmd.SET_TYPE -> new QxlCommand.CursorSet(rel, x, y, QxlWire.u8(c, QxlCursorCmd.VISIBLE) != 0,
                    shape(QxlWire.u64(c, QxlCursorCmd.SHAPE)));
            case QxlCursorCmd.MOVE -> new QxlCommand.CursorMove(rel, x, y);
            case QxlCursorCmd.HIDE -> new QxlCommand.CursorHide(rel);
            case QxlCursorCmd.TRAIL -> new QxlCommand.Skipped(rel, "cursor trail");
            default -> throw new GuestBug(GuestBug.Code.BAD_COMMAND, "cursor command type " + type);
        };
    }

    private QxlCommand.CursorShape shape(long phys) throws GuestBug {
        MemorySegment h = copy(phys, QxlCursorCmd.CURSOR_SIZE);
        int w = QxlWire.u16(h, QxlCursorCmd.C_WIDTH), ht = QxlWire.u16(h, QxlCursorCmd.C_HEIGHT);
        long size = QxlWire.u32(h, QxlCursorCmd.C_DATA_SIZE);
        if (w > 256 || ht > 256 || size > QxlCursorCmd.MAX_SHAPE_BYTES) {
            throw new GuestBug(GuestBug.Code.BAD_COMMAND, "cursor " + w + "x" + ht + " with " + size + " bytes");
        }
        List<Span> spans = chunks(physPlus(phys, QxlCursorCmd.C_CHUNK), size);
        return new QxlCommand.CursorShape(QxlWire.u16(h, QxlCursorCmd.C_TYPE), w, ht,
                QxlWire.u16(h, QxlCursorCmd.C_HOT_X), QxlWire.u16(h, QxlCursorCmd.C_HOT_Y), gather(spans, size));
    }

}
