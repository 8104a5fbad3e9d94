package dev.panamavgpu.qxl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MemSlotsTest {
    private final MemSlots slots = new MemSlots(0x4000, 0x10000);

    @Test
    void translatesInsideTheSlotRelativeToItsStart() throws GuestBug {
        slots.add(1, 0x8000, 0x10000, 3);
        assertEquals(0x8010, slots.translate(MemSlots.phys(1, 3, 0x10), 16));
        assertEquals(0x10000 - 8, slots.translate(MemSlots.phys(1, 3, 0x8000 - 8), 8));
    }

    @Test
    void rejectsWrongGenerationInactiveSlotAndOverruns() throws GuestBug {
        slots.add(2, 0x4000, 0x8000, 5);
        assertEquals(GuestBug.Code.BAD_GENERATION, assertThrows(GuestBug.class, () -> slots.translate(MemSlots.phys(2, 4, 0), 1)).code);
        assertEquals(GuestBug.Code.BAD_SLOT, assertThrows(GuestBug.class, () -> slots.translate(MemSlots.phys(3, 5, 0), 1)).code);
        assertEquals(GuestBug.Code.BAD_ADDRESS, assertThrows(GuestBug.class, () -> slots.translate(MemSlots.phys(2, 5, 0x3ff8), 9)).code);
        assertEquals(GuestBug.Code.BAD_ADDRESS, assertThrows(GuestBug.class, () -> slots.translate(MemSlots.phys(2, 5, 0), Long.MAX_VALUE)).code);
        assertEquals(GuestBug.Code.BAD_ADDRESS, assertThrows(GuestBug.class, () -> slots.translate(MemSlots.phys(2, 5, MemSlots.OFFSET_MASK), 1)).code);
        assertEquals(GuestBug.Code.BAD_SLOT, assertThrows(GuestBug.class, () -> slots.translate(-1L, 1)).code);
    }

    @Test
    void slotsMustLieInTheGuestAreaAndNotBeAddedTwice() throws GuestBug {
        assertThrows(GuestBug.class, () -> slots.add(1, 0x0, 0x8000, 1));      // covers ROM/RAM
        assertThrows(GuestBug.class, () -> slots.add(1, 0x4000, 0x10001, 1)); // past the region
        assertThrows(GuestBug.class, () -> slots.add(1, 0x8000, 0x8000, 1));  // empty
        assertThrows(GuestBug.class, () -> slots.add(0, 0x4000, 0x8000, 1));  // below slots_start
        assertThrows(GuestBug.class, () -> slots.add(8, 0x4000, 0x8000, 1));  // above slots_end
        slots.add(1, 0x4000, 0x8000, 1);
        assertThrows(GuestBug.class, () -> slots.add(1, 0x4000, 0x8000, 1));
        slots.delete(1);
        slots.add(1, 0x4000, 0x8000, 1);
        assertEquals(1, slots.activeCount());
    }

    @Test
    void physPlusRefusesToCarryIntoTheGeneration() throws GuestBug {
        assertEquals(MemSlots.phys(1, 2, 0x30), QxlDecoder.physPlus(MemSlots.phys(1, 2, 0x10), 0x20));
        assertThrows(GuestBug.class, () -> QxlDecoder.physPlus(MemSlots.phys(1, 2, MemSlots.OFFSET_MASK), 1));
    }
}
