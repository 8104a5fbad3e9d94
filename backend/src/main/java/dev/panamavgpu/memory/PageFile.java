package dev.panamavgpu.memory;

import dev.panamavgpu.ffm.ErrnoException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The pageable tier: one unnamed, sparse file in a directory the user chooses. Evicted pixels are
 * written into it with pwrite, so they end in the page cache, where the kernel writes them back and
 * drops them when it needs the memory, and no longer count in our resident set. Only non-zero chunks
 * are written and only data ranges are read back, so what the guest never drew takes no disk and no
 * RAM either. Positional I/O, not a mapping of the file: a full or failing disk is an errno the
 * caller can answer, not a SIGBUS inside a copy. The file is opened on first use and has no name, so
 * nothing is left behind. Loop thread only.
 */
final class PageFile implements AutoCloseable {
    /** Copy granularity: zero chunks are skipped both ways. */
    static final long CHUNK = 64 * 1024;
    private static final MemorySegment ZEROS = Arena.global().allocate(CHUNK);

    /** A range of the file holding one evicted buffer. */
    record Extent(long offset, long length) {}

    private final Path directory;
    private final ExtentAllocator space;
    private final PageIo.Opener opener;
    private PageIo io;

    PageFile(Path directory, long capacity, PageIo.Opener opener) {
        this.directory = directory;
        this.space = new ExtentAllocator(ExtentAllocator.roundUp(capacity));
        this.opener = opener;
    }

    Path directory() { return directory; }

    /** Writes {@code src} into a new extent; null if the file has no room left in its capacity. */
    Extent write(MemorySegment src) throws ErrnoException {
        open();
        long at = space.allocate(src.byteSize());
        if (at < 0) return null;
        Extent e = new Extent(at, src.byteSize());
        try {
            // Zero chunks are skipped, so the extent must read as zeros first. It does unless an
            // earlier hole punch failed; then punch again, and write the zeros if that fails too.
            boolean writeZeros = hasData(e) && !punch(e);
            long n = src.byteSize();
            for (long off = 0; off < n; off += CHUNK) {
                long len = Math.min(CHUNK, n - off);
                if (!writeZeros && MemorySegment.mismatch(src, off, off + len, ZEROS, 0, len) < 0) continue;
                io.write(src.asSlice(off, len), at + off);
            }
        } catch (ErrnoException ex) {
            free(e);
            throw ex;
        }
        return e;
    }

    /** Reads an extent's data ranges into {@code dst} (which is zero-filled: holes are skipped). */
    void read(Extent e, MemorySegment dst) throws ErrnoException {
        long end = e.offset() + e.length();
        long pos = e.offset();
        while (pos < end) {
            long data = io.nextData(pos);
            if (data < 0 || data >= end) return;
            long hole = Math.min(io.nextHole(data), end);
            if (hole <= data) throw new ErrnoException("lseek(SEEK_HOLE) at " + data + " returned " + hole, dev.panamavgpu.ffm.Errno.EIO);
            io.read(dst.asSlice(data - e.offset(), hole - data), data);
            pos = hole;
        }
    }

    /** Gives the extent's disk blocks and page cache back. */
    void free(Extent e) {
        space.free(e.offset(), e.length());
        punch(e);
    }

    private boolean hasData(Extent e) throws ErrnoException {
        long d = io.nextData(e.offset());
        return d >= 0 && d < e.offset() + e.length();
    }

    private boolean punch(Extent e) {
        try {
            io.punchHole(e.offset(), ExtentAllocator.roundUp(e.length()));
            return true;
        } catch (ErrnoException ex) {
            return false; // the next write of this range checks for stale data
        }
    }

    private void open() throws ErrnoException {
        if (io == null) io = opener.open(directory, space.capacity());
    }

    @Override
    public void close() {
        if (io != null) io.close();
        io = null;
    }
}
