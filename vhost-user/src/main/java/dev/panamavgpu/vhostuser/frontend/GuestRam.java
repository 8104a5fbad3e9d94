package dev.panamavgpu.vhostuser.frontend;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.ffm.Mman;
import dev.panamavgpu.vhostuser.memory.RegionSpec;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Guest RAM as the front-end (QEMU) holds it: a memfd mapped into this process at some virtual
 * address, placed at a guest-physical base. A bump allocator hands out guest-physical ranges for
 * rings and buffers, as a guest driver would.
 */
public final class GuestRam implements AutoCloseable {
    private final Fd memfd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory;
    private final long guestPhysBase;
    private long next;

    public GuestRam(long guestPhysBase, long size) throws ErrnoException {
        this.memfd = Libc.memfdCreate("guest-ram", Libc.MFD_ALLOW_SEALING);
        Libc.ftruncate(memfd.get(), size);
        this.memory = Mman.map(memfd, 0, size, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, arena);
        this.guestPhysBase = guestPhysBase;
    }

    public Fd fd() { return memfd; }
    public long size() { return memory.byteSize(); }
    public long guestPhysBase() { return guestPhysBase; }
    public MemorySegment memory() { return memory; }

    /** The region announcement for this RAM (QEMU's virtual address is where the memfd is mapped here). */
    public RegionSpec region() { return new RegionSpec(guestPhysBase, memory.byteSize(), memory.address(), 0); }

    /** Allocates {@code len} bytes aligned to {@code align}; returns the guest-physical address. */
    public long alloc(long len, long align) {
        long at = (next + align - 1) & -align;
        if (at + len > memory.byteSize()) throw new IllegalStateException("guest RAM exhausted");
        next = at + len;
        return guestPhysBase + at;
    }

    /** Front-end virtual address of a guest-physical address. */
    public long userAddr(long gpa) { return memory.address() + (gpa - guestPhysBase); }

    public MemorySegment at(long gpa, long len) { return memory.asSlice(gpa - guestPhysBase, len); }

    /** Forgets all allocations (the memory keeps its bytes). */
    public void resetAllocator() { next = 0; }

    @Override
    public void close() {
        if (arena.scope().isAlive()) arena.close();
        memfd.close();
    }
}
