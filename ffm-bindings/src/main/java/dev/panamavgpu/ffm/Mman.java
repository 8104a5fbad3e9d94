package dev.panamavgpu.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** mmap, munmap, madvise. Mappings are handed out as segments owned by an arena, unmapped when it closes. */
public final class Mman {
    private Mman() {}

    public static final int PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2;
    public static final int MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_ANONYMOUS = 0x20, MAP_NORESERVE = 0x4000;
    public static final int MADV_DONTNEED = 4, MADV_REMOVE = 9, MADV_PAGEOUT = 21;
    public static final long PAGE_SIZE = 4096;

    private static final class Mmap {
        static final MethodHandle H = Native.errnoHandle("mmap",
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    }
    private static final class Munmap {
        static final MethodHandle H = Native.errnoHandle("munmap",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    }
    private static final class Madvise {
        static final MethodHandle H = Native.errnoHandle("madvise",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    }

    /**
     * Maps {@code length} bytes of {@code fd} from {@code offset} (page aligned). The segment is
     * exactly {@code length} long and belongs to {@code arena}: closing the arena unmaps it, and any
     * later access throws instead of touching unmapped memory.
     */
    @SuppressWarnings("restricted")
    public static MemorySegment map(Fd fd, long offset, long length, int prot, int flags, Arena arena) throws ErrnoException {
        if (length <= 0) throw new IllegalArgumentException("mapping length " + length);
        if (offset < 0 || offset % PAGE_SIZE != 0) throw new IllegalArgumentException("unaligned mapping offset " + offset);
        MemorySegment cs = Native.captureSegment();
        MemorySegment p;
        try { p = (MemorySegment) Mmap.H.invokeExact(cs, MemorySegment.NULL, length, prot, flags, fd == null ? -1 : fd.get(), offset); }
        catch (Throwable t) { throw Native.unexpected(t); }
        if (p.address() == -1L) throw new ErrnoException("mmap", Native.errno(cs));
        return p.reinterpret(length, arena, Mman::unmapQuietly);
    }

    /** Anonymous private memory, zero-filled, owned by {@code arena}. */
    public static MemorySegment mapAnonymous(long length, Arena arena) throws ErrnoException {
        return map(null, 0, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, arena);
    }

    /** madvise(2) over the page-aligned part of {@code range} that lies fully inside it. */
    public static void madvise(MemorySegment range, int advice) throws ErrnoException {
        long start = (range.address() + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
        long end = (range.address() + range.byteSize()) & ~(PAGE_SIZE - 1);
        if (end <= start) return;
        MemorySegment cs = Native.captureSegment();
        int r;
        try { r = (int) Madvise.H.invokeExact(cs, range.asSlice(start - range.address(), end - start), end - start, advice); }
        catch (Throwable t) { throw Native.unexpected(t); }
        if (r != 0) throw new ErrnoException("madvise", Native.errno(cs));
    }

    private static void unmapQuietly(MemorySegment s) {
        try { int r = (int) Munmap.H.invokeExact(Native.captureSegment(), s, s.byteSize()); }
        catch (Throwable t) { throw Native.unexpected(t); }
    }
}
