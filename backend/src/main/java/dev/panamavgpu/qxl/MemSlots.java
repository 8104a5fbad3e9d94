package dev.panamavgpu.qxl;

/**
 * The guest's memslots and the translation of a QXLPHYSICAL ({@code slot:8 | generation:8 | offset:48})
 * into a checked region offset. A slot is a range [start, end) of the guest part of the region; an
 * address must carry the generation current when its slot was added (the ROM's slot_generation,
 * which RESET increments), so pointers from before a reset fail.
 */
final class MemSlots {
    static final int SLOTS_START = 1, SLOTS_END = 7; // inclusive, as QEMU advertises
    static final int ID_BITS = 8, GEN_BITS = 8;
    static final long OFFSET_MASK = (1L << (64 - ID_BITS - GEN_BITS)) - 1;

    private final long guestStart, regionSize;
    private final long[] start = new long[SLOTS_END + 1];
    private final long[] end = new long[SLOTS_END + 1];
    private final int[] generation = new int[SLOTS_END + 1];
    private final boolean[] active = new boolean[SLOTS_END + 1];

    MemSlots(long guestStart, long regionSize) {
        this.guestStart = guestStart;
        this.regionSize = regionSize;
    }

    void add(int slot, long memStart, long memEnd, int gen) throws GuestBug {
        if (slot < SLOTS_START || slot > SLOTS_END) throw new GuestBug(GuestBug.Code.BAD_SLOT, "memslot id " + slot);
        if (active[slot]) throw new GuestBug(GuestBug.Code.BAD_SLOT, "memslot " + slot + " already active");
        if (memStart < guestStart || memEnd > regionSize || memStart >= memEnd) {
            throw new GuestBug(GuestBug.Code.BAD_SLOT, String.format("memslot %d [0x%x, 0x%x) outside [0x%x, 0x%x)",
                    slot, memStart, memEnd, guestStart, regionSize));
        }
        start[slot] = memStart;
        end[slot] = memEnd;
        generation[slot] = gen;
        active[slot] = true;
    }

    void delete(int slot) throws GuestBug {
        if (slot < SLOTS_START || slot > SLOTS_END) throw new GuestBug(GuestBug.Code.BAD_SLOT, "memslot id " + slot);
        active[slot] = false;
    }

    void reset() {
        java.util.Arrays.fill(active, false);
    }

    int activeCount() {
        int n = 0;
        for (boolean a : active) if (a) n++;
        return n;
    }

    /** The region offset of {@code size} bytes at {@code phys}, all inside one active slot. */
    long translate(long phys, long size) throws GuestBug {
        int slot = (int) (phys >>> (64 - ID_BITS));
        int gen = (int) (phys >>> (64 - ID_BITS - GEN_BITS)) & 0xff;
        long off = phys & OFFSET_MASK;
        if (slot > SLOTS_END || !active[slot]) {
            throw new GuestBug(GuestBug.Code.BAD_SLOT, String.format("address 0x%x: slot %d not active", phys, slot));
        }
        if (gen != generation[slot]) {
            throw new GuestBug(GuestBug.Code.BAD_GENERATION,
                    String.format("address 0x%x: generation %d, slot %d has %d", phys, gen, slot, generation[slot]));
        }
        long slotSize = end[slot] - start[slot];
        if (size < 0 || off > slotSize || size > slotSize - off) { // no sums: nothing can overflow
            throw new GuestBug(GuestBug.Code.BAD_ADDRESS,
                    String.format("address 0x%x + %d bytes outside slot %d (%d bytes)", phys, size, slot, slotSize));
        }
        return start[slot] + off;
    }

    /** A QXLPHYSICAL for {@code regionOffset} in {@code slot}; for tests and documentation. */
    static long phys(int slot, int gen, long offsetInSlot) {
        return ((long) slot << (64 - ID_BITS)) | ((long) (gen & 0xff) << (64 - ID_BITS - GEN_BITS)) | (offsetInSlot & OFFSET_MASK);
    }
}
