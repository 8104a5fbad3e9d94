package dev.panamavgpu.vhostuser.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An immutable view of the guest's memory regions (one memory-table generation). Translates
 * guest-physical and front-end virtual addresses into bounds-checked segments. A new table is a
 * new GuestMemory; regions it no longer contains are closed, so stale segments throw.
 */
public final class GuestMemory {
    public static final GuestMemory EMPTY = new GuestMemory(List.of(), 0);

    private final MappedRegion[] regions; // sorted by guest-physical address
    private final long generation;

    private GuestMemory(List<MappedRegion> regions, long generation) {
        this.regions = regions.stream()
                .sorted(Comparator.comparingLong(r -> r.spec().guestPhysAddr() ^ Long.MIN_VALUE))
                .toArray(MappedRegion[]::new);
        this.generation = generation;
    }

    public List<MappedRegion> regions() { return List.of(regions); }
    public int regionCount() { return regions.length; }
    public long generation() { return generation; }

    /** A new generation with {@code added}; rejects overlaps with the existing regions. */
    public GuestMemory with(MappedRegion added) throws GuestMemoryException {
        for (MappedRegion r : regions) {
            if (r.spec().overlaps(added.spec())) throw new GuestMemoryException("region " + added.spec() + " overlaps " + r.spec());
        }
        List<MappedRegion> list = new ArrayList<>(List.of(regions));
        list.add(added);
        return new GuestMemory(list, generation + 1);
    }

    /** A new generation from a complete table; rejects overlaps within it. */
    public static GuestMemory of(List<MappedRegion> table, long generation) throws GuestMemoryException {
        for (int i = 0; i < table.size(); i++) {
            for (int j = i + 1; j < table.size(); j++) {
                if (table.get(i).spec().overlaps(table.get(j).spec())) {
                    throw new GuestMemoryException("regions overlap: " + table.get(i).spec() + " and " + table.get(j).spec());
                }
            }
        }
        return new GuestMemory(table, generation);
    }

    /** A new generation without the region matching {@code spec}; returns null if there is none. */
    public GuestMemory without(RegionSpec spec, List<MappedRegion> removedOut) {
        List<MappedRegion> list = new ArrayList<>();
        for (MappedRegion r : regions) {
            if (r.spec().sameRegion(spec)) removedOut.add(r); else list.add(r);
        }
        return removedOut.isEmpty() ? null : new GuestMemory(list, generation + 1);
    }

    /** The segment for {@code [gpa, gpa+len)}; the range must lie inside one region. */
    public MemorySegment slice(long gpa, long len) throws GuestMemoryException {
        if (len < 0) throw new GuestMemoryException("negative length");
        MappedRegion r = regionOf(gpa);
        if (r == null) throw new GuestMemoryException(String.format("gpa 0x%x is not guest memory", gpa));
        long off = gpa - r.spec().guestPhysAddr();
        if (len > r.spec().size() - off) {
            throw new GuestMemoryException(String.format("range 0x%x+0x%x crosses the end of its region", gpa, len));
        }
        return r.memory().asSlice(off, len);
    }

    /** The segments covering {@code [gpa, gpa+len)}, split at region boundaries; every byte must be guest memory. */
    public List<MemorySegment> slices(long gpa, long len) throws GuestMemoryException {
        if (len < 0) throw new GuestMemoryException("negative length");
        if (len > 0 && Long.compareUnsigned(gpa, -1L - (len - 1)) > 0) {
            throw new GuestMemoryException(String.format("range 0x%x+0x%x wraps", gpa, len));
        }
        List<MemorySegment> out = new ArrayList<>(1);
        long at = gpa, left = len;
        while (left > 0) {
            MappedRegion r = regionOf(at);
            if (r == null) throw new GuestMemoryException(String.format("gpa 0x%x is not guest memory", at));
            long off = at - r.spec().guestPhysAddr();
            long n = Math.min(left, r.spec().size() - off);
            out.add(r.memory().asSlice(off, n));
            at += n;
            left -= n;
        }
        return out;
    }

    /** Copies {@code dst.byteSize()} bytes from guest memory at {@code gpa}, across regions if needed. */
    public void read(long gpa, MemorySegment dst) throws GuestMemoryException {
        long done = 0;
        for (MemorySegment s : slices(gpa, dst.byteSize())) {
            MemorySegment.copy(s, 0, dst, done, s.byteSize());
            done += s.byteSize();
        }
    }

    /** Translates a front-end virtual address range (vring addresses) into one segment. */
    public MemorySegment sliceOfUserAddr(long uaddr, long len) throws GuestMemoryException {
        for (MappedRegion r : regions) {
            long off = uaddr - r.spec().userAddr();
            if (Long.compareUnsigned(off, r.spec().size()) < 0) {
                if (len > r.spec().size() - off) {
                    throw new GuestMemoryException(String.format("user range 0x%x+0x%x crosses the end of its region", uaddr, len));
                }
                return r.memory().asSlice(off, len);
            }
        }
        throw new GuestMemoryException(String.format("user address 0x%x is not in any region", uaddr));
    }

    /** Total mapped bytes of this generation. */
    public long mappedBytes() {
        long n = 0;
        for (MappedRegion r : regions) n += r.spec().size();
        return n;
    }

    private MappedRegion regionOf(long gpa) {
        int lo = 0, hi = regions.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            RegionSpec s = regions[mid].spec();
            if (Long.compareUnsigned(gpa, s.guestPhysAddr()) < 0) hi = mid - 1;
            else if (Long.compareUnsigned(gpa - s.guestPhysAddr(), s.size()) >= 0) lo = mid + 1;
            else return regions[mid];
        }
        return null;
    }

    /** Reads one little-endian value; convenience for small structures. */
    public long readLong(long gpa) throws GuestMemoryException {
        return slice(gpa, 8).get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
    }
}
