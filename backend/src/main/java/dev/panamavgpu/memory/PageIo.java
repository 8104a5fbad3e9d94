package dev.panamavgpu.memory;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.FileIo;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.ffm.TmpFiles;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The file operations the page file is made of, each failing with an errno (ENOSPC, EIO) rather
 * than a signal. Tests and the fuzz target wrap it to play a full or failing disk.
 */
interface PageIo extends AutoCloseable {
    void write(MemorySegment src, long offset) throws ErrnoException;
    void read(MemorySegment dst, long offset) throws ErrnoException;
    /** First offset at or after {@code from} holding data; -1 if only holes follow. */
    long nextData(long from) throws ErrnoException;
    /** First offset at or after {@code from} in a hole. */
    long nextHole(long from) throws ErrnoException;
    void punchHole(long offset, long length) throws ErrnoException;
    @Override void close();

    /** Opens the backing file of {@code capacity} bytes in {@code directory}. */
    @FunctionalInterface
    interface Opener {
        PageIo open(Path directory, long capacity) throws ErrnoException;
    }

    /** An unnamed (O_TMPFILE), sparse file: nothing is left behind, whatever happens to the process. */
    Opener UNNAMED_FILE = (directory, capacity) -> {
        Fd fd = TmpFiles.openUnnamed(directory.toString());
        try {
            Libc.ftruncate(fd.get(), capacity); // sparse: no blocks until written
        } catch (ErrnoException e) {
            fd.close();
            throw e;
        }
        return new PageIo() {
            @Override public void write(MemorySegment src, long offset) throws ErrnoException { FileIo.pwriteFully(fd, src, offset); }
            @Override public void read(MemorySegment dst, long offset) throws ErrnoException { FileIo.preadFully(fd, dst, offset); }
            @Override public long nextData(long from) throws ErrnoException { return FileIo.nextData(fd, from); }
            @Override public long nextHole(long from) throws ErrnoException { return FileIo.nextHole(fd, from); }
            @Override public void punchHole(long offset, long length) throws ErrnoException { TmpFiles.punchHole(fd, offset, length); }
            @Override public void close() { fd.close(); }
        };
    };
}
