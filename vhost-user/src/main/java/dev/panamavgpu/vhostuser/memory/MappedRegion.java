package dev.panamavgpu.vhostuser.memory;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.ffm.Mman;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One guest memory region mapped into this process, in an arena of its own. Closing it unmaps the
 * memory; every segment handed out before then throws on access afterwards, so a region that the
 * front-end removed can never be touched again.
 */
public final class MappedRegion implements AutoCloseable {
    private final RegionSpec spec;
    private final Arena arena;
    private final MemorySegment memory;

    private MappedRegion(RegionSpec spec, Arena arena, MemorySegment memory) {
        this.spec = spec;
        this.arena = arena;
        this.memory = memory;
    }

    /**
     * Maps {@code spec} from {@code fd}. The file must already cover mmap_offset + size: mapping
     * beyond a file's end and touching it later raises SIGBUS, which can crash the JVM.
     */
    public static MappedRegion map(RegionSpec spec, Fd fd) throws GuestMemoryException {
        spec.validate();
        long fileSize;
        try {
            fileSize = Libc.fstat(fd.get()).size();
        } catch (ErrnoException e) {
            throw new GuestMemoryException("fstat of region fd: " + e.getMessage());
        }
        if (fileSize < spec.mmapOffset() + spec.size()) {
            throw new GuestMemoryException("region fd holds " + fileSize + " bytes, region needs "
                    + (spec.mmapOffset() + spec.size()) + ": " + spec);
        }
        long pageOffset = spec.mmapOffset() & (Mman.PAGE_SIZE - 1);
        long mapStart = spec.mmapOffset() - pageOffset;
        Arena arena = Arena.ofShared();
        try {
            MemorySegment whole = Mman.map(fd, mapStart, pageOffset + spec.size(),
                    Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED | Mman.MAP_NORESERVE, arena);
            return new MappedRegion(spec, arena, whole.asSlice(pageOffset, spec.size()));
        } catch (ErrnoException | RuntimeException e) {
            arena.close();
            throw new GuestMemoryException("mmap of " + spec + ": " + e.getMessage());
        }
    }

    public RegionSpec spec() { return spec; }
    public MemorySegment memory() { return memory; }
    public boolean isMapped() { return arena.scope().isAlive(); }

    @Override
    public void close() {
        if (arena.scope().isAlive()) arena.close();
    }
}
