package dev.panamavgpu.memory;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.ffm.Mman;
import dev.panamavgpu.ffm.TmpFiles;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The pageable tier: one unnamed, sparse file in a directory the user chooses. Evicted pixels are
 * written into it through a short-lived MAP_SHARED mapping, so they end in the page cache, where
 * the kernel writes them back and drops them when it needs the memory, and no longer count in our
 * resident set. Only non-zero chunks are copied, so what the guest never drew takes no disk either.
 * The file is opened on first use and has no name, so nothing is left behind. Loop thread only.
 */
final class PageFile implements AutoCloseable {
    /** Copy granularity: zero chunks are skipped both ways. */
    static final long CHUNK = 64 * 1024;
    private static final MemorySegment ZEROS = Arena.global().allocate(CHUNK);

    /** A range of the file holding one evicted buffer. */
    record Extent(long offset, long length) {}

    private final Path directory;
    private final ExtentAllocator space;
    private Fd fd;

    PageFile(Path directory, long capacity) {
        this.directory = directory;
        this.space = new ExtentAllocator(ExtentAllocator.roundUp(capacity));
    }

    Path directory() { return directory; }

    /** Writes {@code src} into a new extent; null if the file has no room left. */
    Extent write(MemorySegment src) throws ErrnoException {
        open();
        long at = space.allocate(src.byteSize());
        if (at < 0) return null;
        Extent e = new Extent(at, src.byteSize());
        try (Arena a = Arena.ofConfined()) {
            MemorySegment dst = Mman.map(fd, at, ExtentAllocator.roundUp(e.length()), Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, a);
            copyNonZero(src, dst.asSlice(0, e.length()));
        } catch (ErrnoException | RuntimeException ex) {
            free(e);
            throw ex;
        }
        return e;
    }

    /** Copies an extent's bytes into {@code dst} (which is zero-filled: holes are skipped). */
    void read(Extent e, MemorySegment dst) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment src = Mman.map(fd, e.offset(), ExtentAllocator.roundUp(e.length()), Mman.PROT_READ, Mman.MAP_SHARED, a);
            copyNonZero(src.asSlice(0, e.length()), dst);
        }
    }

    /** Gives the extent's disk blocks and page cache back. */
    void free(Extent e) {
        space.free(e.offset(), e.length());
        try {
            TmpFiles.punchHole(fd, e.offset(), ExtentAllocator.roundUp(e.length()));
        } catch (ErrnoException ex) {
            // the range is reused and overwritten anyway; only disk space is lost until then
        }
    }

    private void open() throws ErrnoException {
        if (fd != null) return;
        Fd f = TmpFiles.openUnnamed(directory.toString());
        try {
            Libc.ftruncate(f.get(), space.capacity()); // sparse: no blocks until written
        } catch (ErrnoException e) {
            f.close();
            throw e;
        }
        fd = f;
    }

    private static void copyNonZero(MemorySegment src, MemorySegment dst) {
        long n = src.byteSize();
        for (long at = 0; at < n; at += CHUNK) {
            long len = Math.min(CHUNK, n - at);
            if (MemorySegment.mismatch(src, at, at + len, ZEROS, 0, len) < 0) continue;
            MemorySegment.copy(src, at, dst, at, len);
        }
    }

    @Override
    public void close() {
        if (fd != null) fd.close();
        fd = null;
    }
}
