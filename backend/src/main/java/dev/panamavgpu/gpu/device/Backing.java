package dev.panamavgpu.gpu.device;

import dev.panamavgpu.gpu.protocol.MemEntry;
import dev.panamavgpu.vhostuser.memory.GuestAccess;
import dev.panamavgpu.vhostuser.memory.GuestMemory;
import dev.panamavgpu.vhostuser.memory.GuestMemoryException;
import dev.panamavgpu.vhostuser.memory.GuestMemoryFault;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A resource's guest backing: the entries the guest attached, kept as guest-physical addresses
 * and resolved against the current memory table. Resolution is redone whenever the table changes,
 * so a removed region is never touched: the backing just becomes unusable (transfers fail).
 */
final class Backing {
    private final List<MemEntry> entries;
    private final long length;
    private MemorySegment[] parts = new MemorySegment[0];
    private long[] starts = new long[0];
    private boolean resolved;

    private Backing(List<MemEntry> entries, long length) {
        this.entries = entries;
        this.length = length;
    }

    /** What {@link #of} makes of the guest's entries. */
    sealed interface Result {
        record Usable(Backing backing) implements Result {}
        record Refused(String why) implements Result {}
    }

    /** Validates the entries against {@code memory}. */
    static Result of(List<MemEntry> entries, GuestMemory memory) {
        long total = 0;
        for (MemEntry e : entries) {
            if (e.length() == 0) return new Result.Refused("zero-length entry");
            if (e.wrapsAround()) return new Result.Refused("entry wraps the address space");
            total += e.length(); // at most 16384 entries of < 4 GiB: cannot overflow a long
        }
        Backing b = new Backing(List.copyOf(entries), total);
        if (!b.resolve(memory)) return new Result.Refused("entry outside guest memory");
        return new Result.Usable(b);
    }

    /** Re-resolves against a new memory table; false if some entry is no longer guest memory. */
    boolean resolve(GuestMemory memory) {
        List<MemorySegment> p = new ArrayList<>(entries.size());
        try {
            for (MemEntry e : entries) p.addAll(memory.slices(e.addr(), e.length()));
        } catch (GuestMemoryException ex) {
            resolved = false;
            parts = new MemorySegment[0];
            starts = new long[0];
            return false;
        }
        parts = p.toArray(MemorySegment[]::new);
        starts = new long[parts.length];
        long at = 0;
        for (int i = 0; i < parts.length; i++) { starts[i] = at; at += parts[i].byteSize(); }
        resolved = true;
        return true;
    }

    boolean usable() { return resolved; }

    /** The host mappings of the backing, in order (for virglrenderer's iovecs); empty when unusable. */
    MemorySegment[] parts() { return parts.clone(); }
    long length() { return length; }
    int entryCount() { return entries.size(); }

    /**
     * Copies backing bytes {@code [offset, offset+len)} into {@code dst} at {@code dstOffset}. The
     * caller has checked the range against {@link #length()}. A mapping that went away or shrank
     * underneath is a {@link GuestMemoryFault} (the caller answers with an error).
     */
    void copyOut(long offset, MemorySegment dst, long dstOffset, long len) throws GuestMemoryFault {
        int i = Arrays.binarySearch(starts, offset);
        if (i < 0) i = -i - 2;
        long skip = offset - starts[i];
        while (len > 0) {
            MemorySegment p = parts[i];
            long n = Math.min(len, p.byteSize() - skip);
            GuestAccess.copy(p, skip, dst, dstOffset, n);
            dstOffset += n;
            len -= n;
            skip = 0;
            i++;
        }
    }
}
