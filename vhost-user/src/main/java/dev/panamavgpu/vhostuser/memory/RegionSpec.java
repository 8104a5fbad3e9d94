package dev.panamavgpu.vhostuser.memory;

/**
 * What the front-end says about one region: guest-physical start, size, its own virtual address for
 * the region, and where the region starts in the fd. All four are untrusted.
 */
public record RegionSpec(long guestPhysAddr, long size, long userAddr, long mmapOffset) {

    /** Rejects sizes and ranges that would wrap 64-bit arithmetic or cannot be mapped. */
    public void validate() throws GuestMemoryException {
        if (size <= 0) throw new GuestMemoryException("region size " + Long.toUnsignedString(size));
        if (mmapOffset < 0) throw new GuestMemoryException("mmap_offset " + Long.toUnsignedString(mmapOffset));
        if (Long.compareUnsigned(guestPhysAddr, -1L - (size - 1)) > 0) throw new GuestMemoryException("guest range wraps: " + this);
        if (Long.compareUnsigned(userAddr, -1L - (size - 1)) > 0) throw new GuestMemoryException("user range wraps: " + this);
        try {
            Math.addExact(mmapOffset, size);
        } catch (ArithmeticException e) {
            throw new GuestMemoryException("mmap_offset + size overflows: " + this);
        }
    }

    boolean overlaps(RegionSpec o) {
        return rangesOverlap(guestPhysAddr, size, o.guestPhysAddr, o.size) || rangesOverlap(userAddr, size, o.userAddr, o.size);
    }

    boolean sameRegion(RegionSpec o) {
        return guestPhysAddr == o.guestPhysAddr && size == o.size && userAddr == o.userAddr;
    }

    private static boolean rangesOverlap(long a, long alen, long b, long blen) {
        // unsigned: a < b + blen && b < a + alen, with ends computed as last byte to avoid wrap
        long aLast = a + (alen - 1), bLast = b + (blen - 1);
        return Long.compareUnsigned(a, bLast) <= 0 && Long.compareUnsigned(b, aLast) <= 0;
    }

    @Override
    public String toString() {
        return String.format("{gpa 0x%x size 0x%x uaddr 0x%x off 0x%x}", guestPhysAddr, size, userAddr, mmapOffset);
    }
}
