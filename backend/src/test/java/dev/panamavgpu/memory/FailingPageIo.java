package dev.panamavgpu.memory;

import dev.panamavgpu.ffm.Errno;
import dev.panamavgpu.ffm.ErrnoException;
import java.lang.foreign.MemorySegment;

/** A page file whose disk can be made to fail on command: ENOSPC on writes, EIO on reads. */
final class FailingPageIo {
    volatile boolean failWrites, failReads;
    int writeFailures, readFailures;

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
