package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The eight 2D resource formats of virtio_gpu_formats, and conversion to what QEMU's display wants.
 *
 * <p>A virtio format name lists the bytes in memory order: B8G8R8X8 is B,G,R,X at increasing addresses (QEMU maps
 * it to PIXMAN_x8r8g8b8 on little-endian hosts; Linux maps DRM_FORMAT_XRGB8888 to it). The display side of the
 * vhost-user-gpu socket (UPDATE messages) takes PIXMAN_x8r8g8b8, i.e. bytes B,G,R,X; CURSOR_UPDATE takes
 * PIXMAN_a8r8g8b8, bytes B,G,R,A.
 *
 * <p>Conversion is a pure byte permutation: the fourth output byte is the source's A or X byte. x8r8g8b8 consumers
 * ignore it (pixman reads x8 as opaque), native formats are passed through untouched anyway, and keeping the byte
 * means the same converter yields valid a8r8g8b8 cursor data from any alpha format. Callers that need an opaque
 * alpha from an X format must set it themselves ({@link #hasAlpha()} is false for those).
 */
public enum PixelFormat {
    B8G8R8A8_UNORM(1, Swizzle.NONE, true, fourcc('A', 'R', '2', '4')),
    B8G8R8X8_UNORM(2, Swizzle.NONE, false, fourcc('X', 'R', '2', '4')),
    A8R8G8B8_UNORM(3, Swizzle.REVERSE, true, fourcc('B', 'A', '2', '4')),
    X8R8G8B8_UNORM(4, Swizzle.REVERSE, false, fourcc('B', 'X', '2', '4')),
    R8G8B8A8_UNORM(67, Swizzle.SWAP_RB, true, fourcc('A', 'B', '2', '4')),
    X8B8G8R8_UNORM(68, Swizzle.ROTATE, false, fourcc('R', 'X', '2', '4')),
    A8B8G8R8_UNORM(121, Swizzle.ROTATE, true, fourcc('R', 'A', '2', '4')),
    R8G8B8X8_UNORM(134, Swizzle.SWAP_RB, false, fourcc('X', 'B', '2', '4'));

    /** Every format here is 32 bits per pixel. */
    public static final int BYTES_PER_PIXEL = 4;

    // Pixels are handled as little-endian words: byte 0 is the low byte, whatever the host order.
    private static final ValueLayout.OfInt PIXEL = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong PIXEL_PAIR =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final int code;
    private final Swizzle swizzle;
    private final boolean hasAlpha;
    private final int drmFourcc;

    PixelFormat(int code, Swizzle swizzle, boolean hasAlpha, int drmFourcc) {
        this.code = code;
        this.swizzle = swizzle;
        this.hasAlpha = hasAlpha;
        this.drmFourcc = drmFourcc;
    }

    /** The format for a virtio code, or null if the code is not one of the eight 2D formats. */
    public static PixelFormat fromCode(int code) {
        return switch (code) {
            case 1 -> B8G8R8A8_UNORM;
            case 2 -> B8G8R8X8_UNORM;
            case 3 -> A8R8G8B8_UNORM;
            case 4 -> X8R8G8B8_UNORM;
            case 67 -> R8G8B8A8_UNORM;
            case 68 -> X8B8G8R8_UNORM;
            case 121 -> A8B8G8R8_UNORM;
            case 134 -> R8G8B8X8_UNORM;
            default -> null;
        };
    }

    /** The virtio_gpu_formats code. */
    public int code() {
        return code;
    }

    public boolean hasAlpha() {
        return hasAlpha;
    }

    /** Memory bytes are already B,G,R,(A|X): rows can be copied to the display as-is. */
    public boolean isDisplayNative() {
        return swizzle == Swizzle.NONE;
    }

    /** The DRM fourcc with the same memory layout (DRM names are little-endian word order), for dmabuf export. */
    public int drmFourcc() {
        return drmFourcc;
    }

    /**
     * Converts one pixel. {@code pixel} is the 4 memory bytes read as a little-endian int (byte 0 = low byte); the
     * result, stored the same way, is B,G,R,X.
     */
    public int toDisplayPixel(int pixel) {
        return switch (swizzle) {
            case NONE -> pixel;
            case REVERSE -> Integer.reverseBytes(pixel);
            case SWAP_RB -> (pixel & 0xFF00FF00) | ((pixel >>> 16) & 0xFF) | ((pixel & 0xFF) << 16);
            case ROTATE -> Integer.rotateRight(pixel, 8);
        };
    }

    /** {@link #convertRow(MemorySegment, long, MemorySegment, long, long)} from offset 0 to offset 0. */
    public void convertRow(MemorySegment src, MemorySegment dst, long pixels) {
        convertRow(src, 0, dst, 0, pixels);
    }

    /**
     * Converts {@code pixels} pixels starting at {@code srcOffset} into x8r8g8b8 at {@code dstOffset}.
     * src and dst may be the same memory at the same offset (in-place); other overlaps are not supported.
     *
     * @throws IndexOutOfBoundsException if either range lies outside its segment (nothing is written then)
     */
    public void convertRow(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, long pixels) {
        long bytes = rowBytes(pixels);
        Objects.checkFromIndexSize(srcOffset, bytes, src.byteSize());
        Objects.checkFromIndexSize(dstOffset, bytes, dst.byteSize());
        switch (swizzle) {
            case NONE -> MemorySegment.copy(src, srcOffset, dst, dstOffset, bytes);
            case REVERSE -> reverseRow(src, srcOffset, dst, dstOffset, pixels);
            case SWAP_RB -> swapRbRow(src, srcOffset, dst, dstOffset, pixels);
            case ROTATE -> rotateRow(src, srcOffset, dst, dstOffset, pixels);
        }
    }

    /**
     * Converts a {@code width}×{@code height} block, row by row, between two strided images.
     *
     * @throws IndexOutOfBoundsException if any row lies outside its segment
     */
    public void convertRect(MemorySegment src, long srcOffset, long srcStride,
                            MemorySegment dst, long dstOffset, long dstStride, long width, long height) {
        if (height < 0 || srcStride < 0 || dstStride < 0) {
            throw new IllegalArgumentException("negative height or stride");
        }
        if (height == 0) {
            return;
        }
        // Check the last row up front so a bad rect fails before any row is written.
        long rowBytes = rowBytes(width);
        Objects.checkFromIndexSize(
                Math.addExact(srcOffset, Math.multiplyExact(height - 1, srcStride)), rowBytes, src.byteSize());
        Objects.checkFromIndexSize(
                Math.addExact(dstOffset, Math.multiplyExact(height - 1, dstStride)), rowBytes, dst.byteSize());
        for (long row = 0; row < height; row++) {
            convertRow(src, srcOffset + row * srcStride, dst, dstOffset + row * dstStride, width);
        }
    }

    /** Bytes in a row of {@code pixels} pixels. */
    public static long rowBytes(long pixels) {
        if (pixels < 0) {
            throw new IllegalArgumentException("negative pixel count: " + pixels);
        }
        return Math.multiplyExact(pixels, BYTES_PER_PIXEL);
    }

    // The loops below handle two pixels per 64-bit load; each lane gets the same permutation as toDisplayPixel.

    private static void reverseRow(MemorySegment src, long so, MemorySegment dst, long dof, long pixels) {
        long pairs = pixels >>> 1;
        for (long i = 0; i < pairs; i++) {
            long v = src.get(PIXEL_PAIR, so + i * 8);
            // reverseBytes also swaps the two pixels; rotating by 32 puts them back.
            dst.set(PIXEL_PAIR, dof + i * 8, Long.rotateLeft(Long.reverseBytes(v), 32));
        }
        if ((pixels & 1) != 0) {
            long off = (pixels - 1) * 4;
            dst.set(PIXEL, dof + off, Integer.reverseBytes(src.get(PIXEL, so + off)));
        }
    }

    private static void swapRbRow(MemorySegment src, long so, MemorySegment dst, long dof, long pixels) {
        long pairs = pixels >>> 1;
        for (long i = 0; i < pairs; i++) {
            long v = src.get(PIXEL_PAIR, so + i * 8);
            dst.set(PIXEL_PAIR, dof + i * 8, (v & 0xFF00FF00_FF00FF00L)
                    | ((v >>> 16) & 0x000000FF_000000FFL)
                    | ((v & 0x000000FF_000000FFL) << 16));
        }
        if ((pixels & 1) != 0) {
            long off = (pixels - 1) * 4;
            int p = src.get(PIXEL, so + off);
            dst.set(PIXEL, dof + off, (p & 0xFF00FF00) | ((p >>> 16) & 0xFF) | ((p & 0xFF) << 16));
        }
    }

    private static void rotateRow(MemorySegment src, long so, MemorySegment dst, long dof, long pixels) {
        long pairs = pixels >>> 1;
        for (long i = 0; i < pairs; i++) {
            long v = src.get(PIXEL_PAIR, so + i * 8);
            dst.set(PIXEL_PAIR, dof + i * 8, ((v >>> 8) & 0x00FFFFFF_00FFFFFFL) | ((v << 24) & 0xFF000000_FF000000L));
        }
        if ((pixels & 1) != 0) {
            long off = (pixels - 1) * 4;
            dst.set(PIXEL, dof + off, Integer.rotateRight(src.get(PIXEL, so + off), 8));
        }
    }

    private static int fourcc(char a, char b, char c, char d) {
        return a | (b << 8) | (c << 16) | (d << 24);
    }

    /** Byte permutation from a format's memory order to B,G,R,X. */
    private enum Swizzle {
        /** Already B,G,R,X. */
        NONE,
        /** X,R,G,B → reverse all four bytes. */
        REVERSE,
        /** R,G,B,X → swap bytes 0 and 2. */
        SWAP_RB,
        /** X,B,G,R → move byte 0 to byte 3. */
        ROTATE
    }
}
