package dev.panamavgpu.vhostuser.fuzz;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.vhostuser.memory.GuestMemory;
import dev.panamavgpu.vhostuser.memory.GuestMemoryException;
import dev.panamavgpu.vhostuser.memory.MappedRegion;
import dev.panamavgpu.vhostuser.memory.RegionSpec;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * 64 KiB of guest memory as two adjacent 32 KiB regions of one memfd (so ranges and indirect tables
 * can straddle a region boundary), mapped the way the back-end maps a memory table. Made once per
 * fuzz target; {@link #clear} resets the content between executions.
 */
public final class SmallGuestMemory implements AutoCloseable {
    public static final long REGION = 0x8000, SIZE = 2 * REGION;
    public static final long USER_BASE = 0x7f00_0000_0000L;

    private final Fd fd;
    private final MappedRegion low, high;
    private final GuestMemory memory;

    public SmallGuestMemory() throws ErrnoException, GuestMemoryException {
        fd = Libc.memfdCreate("fuzz-guest", Libc.MFD_CLOEXEC);
        Libc.ftruncate(fd.get(), SIZE);
        low = MappedRegion.map(new RegionSpec(0, REGION, USER_BASE, 0), fd);
        high = MappedRegion.map(new RegionSpec(REGION, REGION, USER_BASE + REGION, REGION), fd);
        memory = GuestMemory.of(List.of(low, high), 1);
    }

    public GuestMemory memory() { return memory; }
    /** The region above 0x8000 alone, as after REM_MEM_REG of the low one. */
    public GuestMemory withoutLow() throws GuestMemoryException { return GuestMemory.of(List.of(high), 2); }

    public void clear() {
        low.memory().fill((byte) 0);
        high.memory().fill((byte) 0);
    }

    /** Writes {@code b} at guest-physical {@code gpa}, clipped to the 64 KiB. */
    public void write(long gpa, byte[] b) {
        for (int i = 0; i < b.length && gpa + i < SIZE; i++) {
            long a = gpa + i;
            (a < REGION ? low.memory() : high.memory()).set(java.lang.foreign.ValueLayout.JAVA_BYTE, a % REGION, b[i]);
        }
    }

    public MemorySegment slice(long gpa, long len) throws GuestMemoryException { return memory.slice(gpa, len); }

    @Override
    public void close() {
        low.close();
        high.close();
        fd.close();
    }
}
