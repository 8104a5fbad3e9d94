package dev.panamavgpu.ivshmem;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.ffm.Mman;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The shared memory every peer maps: a memfd sealed against shrinking and growing (a shrunk mapping
 * would SIGBUS the JVM; see java-ffm.md) and against further sealing, mapped here once.
 */
public final class SharedRegion implements AutoCloseable {
    /** Smallest region: ROM, transport page, QXL RAM header and some guest pages. */
    public static final long MIN_SIZE = 64 * 1024;
    /** Largest region this backend serves (QEMU would take more; the host maps all of it). */
    public static final long MAX_SIZE = 1L << 30;

    private final Fd fd;
    private final Arena arena;
    private final MemorySegment segment;

    private SharedRegion(Fd fd, Arena arena, MemorySegment segment) {
        this.fd = fd;
        this.arena = arena;
        this.segment = segment;
    }

    /** QEMU sizes BAR2 from fstat and asserts a power of two, so anything else is refused here first. */
    public static void checkSize(long size) {
        if (size < MIN_SIZE || size > MAX_SIZE || Long.bitCount(size) != 1) {
            throw new IllegalArgumentException("ivshmem size must be a power of two in [64K, 1G], not " + size);
        }
    }

    public static SharedRegion create(String name, long size) throws ErrnoException {
        checkSize(size);
        Fd fd = Libc.memfdCreate(name, Libc.MFD_ALLOW_SEALING);
        Arena arena = Arena.ofShared();
        try {
            Libc.ftruncate(fd.get(), size);
            Libc.fcntl(fd.get(), Libc.F_ADD_SEALS, Libc.F_SEAL_SHRINK | Libc.F_SEAL_GROW | Libc.F_SEAL_SEAL);
            MemorySegment seg = Mman.map(fd, 0, size, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, arena);
            return new SharedRegion(fd, arena, seg);
        } catch (ErrnoException | RuntimeException e) {
            arena.close();
            fd.close();
            throw e;
        }
    }

    public Fd fd() { return fd; }
    public MemorySegment segment() { return segment; }
    public long size() { return segment.byteSize(); }

    @Override
    public void close() {
        arena.close();
        fd.close();
    }
}
