package dev.panamavgpu.qxl;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Mman;
import dev.panamavgpu.memory.MemoryBudget;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The host copy of a QXL surface's pixels (32 bpp, top-down, stride = width * 4), charged to a
 * {@link MemoryBudget} before it is mapped. This is the only place QXL host pixel memory is
 * allocated, so moving QXL surfaces onto the resident/pageable memory manager is a change here.
 */
final class HostSurface implements AutoCloseable {
    final int width, height;
    final long stride, bytes;
    private final MemoryBudget budget;
    private final Arena arena;
    private final MemorySegment pixels;

    private HostSurface(int width, int height, MemoryBudget budget, Arena arena, MemorySegment pixels) {
        this.width = width;
        this.height = height;
        this.stride = 4L * width;
        this.bytes = pixels.byteSize();
        this.budget = budget;
        this.arena = arena;
        this.pixels = pixels;
    }

    /** A zeroed surface, or null if the budget refuses it. */
    static HostSurface allocate(int width, int height, MemoryBudget budget) throws ErrnoException {
        long bytes = Math.multiplyExact(4L * width, (long) height);
        if (!budget.tryCharge(bytes)) return null;
        Arena arena = Arena.ofShared();
        try {
            return new HostSurface(width, height, budget, arena, Mman.mapAnonymous(bytes, arena));
        } catch (ErrnoException | RuntimeException e) {
            arena.close();
            budget.release(bytes);
            throw e;
        }
    }

    MemorySegment pixels() { return pixels; }

    QxlRect bounds() { return new QxlRect(0, 0, height, width); }

    @Override
    public void close() {
        if (!arena.scope().isAlive()) return;
        arena.close();
        budget.release(bytes);
    }
}
