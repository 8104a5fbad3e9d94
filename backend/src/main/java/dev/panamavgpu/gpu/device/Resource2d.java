package dev.panamavgpu.gpu.device;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Mman;
import dev.panamavgpu.gpu.protocol.PixelFormat;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A 2D resource: its format and size, the guest backing attached to it, and the host copy of its
 * pixels. The pixel store is an anonymous mapping made on the first transfer, so a resource costs
 * no host memory until it is used and untouched pages stay unbacked.
 */
final class Resource2d {
    final long id;
    final PixelFormat format;
    final long width, height, stride;
    final long bytes;
    Backing backing;
    byte[] uuid;
    int scanoutMask; // bit i: shown on scanout i
    private Arena arena;
    private MemorySegment pixels;

    Resource2d(long id, PixelFormat format, long width, long height) {
        this.id = id;
        this.format = format;
        this.width = width;
        this.height = height;
        this.stride = width * PixelFormat.BYTES_PER_PIXEL;
        this.bytes = Math.multiplyExact(stride, height);
    }

    /** The pixel store, mapped on first use. */
    MemorySegment pixels() throws ErrnoException {
        if (pixels == null) {
            arena = Arena.ofShared();
            try {
                pixels = Mman.mapAnonymous(bytes, arena);
            } catch (ErrnoException e) {
                arena.close();
                arena = null;
                throw e;
            }
        }
        return pixels;
    }

    boolean hasPixels() { return pixels != null; }

    void free() {
        if (arena != null) arena.close();
        arena = null;
        pixels = null;
        backing = null;
    }
}
