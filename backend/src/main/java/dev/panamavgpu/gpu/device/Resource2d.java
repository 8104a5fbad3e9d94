package dev.panamavgpu.gpu.device;

import dev.panamavgpu.gpu.protocol.PixelFormat;
import dev.panamavgpu.memory.PixelBuffer;

/**
 * A 2D resource: its format and size, the guest backing attached to it, and the host copy of its
 * pixels, which the memory manager keeps (lazily mapped, pageable while not on a scanout).
 */
final class Resource2d {
    final long id;
    final PixelFormat format;
    final long width, height, stride;
    final PixelBuffer pixels;
    Backing backing;
    byte[] uuid;
    int scanoutMask; // bit i: shown on scanout i

    Resource2d(long id, PixelFormat format, long width, long height, PixelBuffer pixels) {
        this.id = id;
        this.format = format;
        this.width = width;
        this.height = height;
        this.stride = width * PixelFormat.BYTES_PER_PIXEL;
        this.pixels = pixels;
    }

    /** Bytes of the pixel store; sizes are below 2^14 per side, so this cannot overflow. */
    static long bytes(long width, long height) {
        return width * PixelFormat.BYTES_PER_PIXEL * height;
    }
}
