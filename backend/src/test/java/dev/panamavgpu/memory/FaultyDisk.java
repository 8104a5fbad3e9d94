package dev.panamavgpu.memory;

import dev.panamavgpu.ffm.Errno;
import dev.panamavgpu.ffm.ErrnoException;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A page file whose disk fails on command (ENOSPC on writes, EIO on reads), with the manager's clock
 * in the test's hands so that paging's retry time can pass at once. For tests and fuzz targets.
 */
public final class FaultyDisk {
    private volatile boolean failWrites, failReads;
    private final AtomicLong clock = new AtomicLong();
    int writeFailures, readFailures;

    public void failWrites(boolean on) { failWrites = on; }
    public void failReads(boolean on) { failReads = on; }

    /** Lets the paging retry time pass. */
    public void advancePastRetry() { clock.addAndGet(MemoryManager.PAGING_RETRY_MILLIS * 1_000_000L); }

    /** A manager whose page file is on this disk. */
    public MemoryManager manager(MemoryLimits limits) {
        return new MemoryManager(limits, opener(), clock::get);
    }

    PageIo.Opener opener() {
        return (dir, capacity) -> {
            PageIo real = PageIo.UNNAMED_FILE.open(dir, capacity);
            return new PageIo() {
                @Override
                public void write(MemorySegment src, long offset) throws ErrnoException {
                    if (failWrites) { writeFailures++; throw new ErrnoException("pwrite", Errno.ENOSPC); }
                    real.write(src, offset);
                }

                @Override
                public void read(MemorySegment dst, long offset) throws ErrnoException {
                    if (failReads) { readFailures++; throw new ErrnoException("pread", Errno.EIO); }
                    real.read(dst, offset);
                }

                @Override public long nextData(long from) throws ErrnoException { return real.nextData(from); }
                @Override public long nextHole(long from) throws ErrnoException { return real.nextHole(from); }
                @Override public void punchHole(long offset, long length) throws ErrnoException { real.punchHole(offset, length); }
                @Override public void close() { real.close(); }
            };
        };
    }
}
