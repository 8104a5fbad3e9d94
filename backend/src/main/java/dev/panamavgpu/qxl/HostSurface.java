package dev.panamavgpu.qxl;

import dev.panamavgpu.memory.MemoryManager;
import dev.panamavgpu.memory.MemoryUnavailableException;
import dev.panamavgpu.memory.PixelBuffer;
import java.lang.foreign.MemorySegment;

/**
 * The host copy of a QXL surface's pixels (32 bpp, top-down, stride = width * 4), held by the same
 * {@link MemoryManager} as virtio-gpu resources, so it is charged against the same budgets and shows
 * in the same figures. The renderer may touch any surface at any IO, so surfaces are pinned: they
 * count as resident and never move to the page file. This is the only place QXL host pixel memory
 * is allocated.
 */
final class HostSurface implements AutoCloseable {
    final int width, height;
    final long stride, bytes;
    private final MemoryManager memory;
    private final PixelBuffer buffer;
    private final MemorySegment pixels;
    private boolean closed;

    private HostSurface(int width, int height, MemoryManager memory, PixelBuffer buffer, MemorySegment pixels) {
        this.width = width;
        this.height = height;
        this.stride = 4L * width;
        this.bytes = pixels.byteSize();
        this.memory = memory;
        this.buffer = buffer;
        this.pixels = pixels;
    }

    /** A zeroed surface, or null if the budgets refuse it. */
    static HostSurface allocate(int width, int height, MemoryManager memory, String label) {
        long bytes = Math.multiplyExact(4L * width, (long) height);
        PixelBuffer b;
        try {
            b = memory.reserve(bytes, label);
        } catch (MemoryUnavailableException e) {
            return null;
        }
        try {
            memory.pin(b);
            return new HostSurface(width, height, memory, b, memory.use(b));
        } catch (MemoryUnavailableException | RuntimeException e) {
            memory.free(b);
            return null;
        }
    }

    MemorySegment pixels() { return pixels; }

    QxlRect bounds() { return new QxlRect(0, 0, height, width); }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        memory.free(buffer);
    }
}
