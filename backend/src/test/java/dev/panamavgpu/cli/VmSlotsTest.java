package dev.panamavgpu.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.memory.MemoryLimits;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VmSlotsTest {
    static final long MIB = 1 << 20;
    static final MemoryLimits HOST = new MemoryLimits(256 * MIB, 1024 * MIB, Path.of("/var/tmp"));

    @Test
    void oneVmKeepsTheLimitsAsTheyWere() {
        VmSlots s = VmSlots.of(1, Set.of(), HOST, null, null);
        assertFalse(s.many());
        assertEquals(HOST, s.vmLimits());
        assertEquals(Long.MAX_VALUE, s.vmMaxPinned());
        assertThrows(IllegalArgumentException.class, () -> VmSlots.of(1, Set.of(), HOST, 64 * MIB, null));
        assertThrows(IllegalArgumentException.class, () -> VmSlots.of(1, Set.of(1000), HOST, null, null));
    }

    @Test
    void manyVmsGetHalfTheHostEachAndAnEvenSplitOfPinnedBytes() {
        VmSlots s = VmSlots.of(16, Set.of(), HOST, null, null);
        assertEquals(128 * MIB, s.vmLimits().maxResident());
        assertEquals(512 * MIB, s.vmLimits().maxTotal());
        assertEquals(16 * MIB, s.vmMaxPinned());
        VmSlots small = VmSlots.of(4, Set.of(), HOST, null, 32 * MIB);
        assertEquals(32 * MIB, small.vmLimits().maxResident(), "resident at most the VM's total");
        assertThrows(IllegalArgumentException.class, () -> VmSlots.of(4, Set.of(), HOST, 512 * MIB, null));
        assertThrows(IllegalArgumentException.class, () -> VmSlots.of(4, Set.of(), HOST, 64 * MIB, 32 * MIB));
        assertThrows(IllegalArgumentException.class, () -> VmSlots.of(0, Set.of(), HOST, null, null));
    }

    @Test
    void manyVmsDoNotGoWithFdOrVnc() {
        assertNull(VmSlots.conflict(1, true, true, true));
        assertTrue(VmSlots.conflict(2, true, false, false).contains("--fd"));
        assertTrue(VmSlots.conflict(2, false, true, false).contains("--vnc"));
        assertTrue(VmSlots.conflict(2, false, false, true).contains("--virgl"));
        assertNull(VmSlots.conflict(2, false, false, false));
    }

    @Test
    void theCommandLineRefusesTheConflicts() {
        assertEquals(2, Main.run("--fd=3", "--max-vms=2", "--sandbox=off"));
        assertEquals(2, Main.run("--socket-path=/tmp/x.sock", "--max-vms=2", "--virgl", "--sandbox=off"));
        assertEquals(2, Main.run("--socket-path=/tmp/x.sock", "--max-vms=1", "--vm-max-total=1M", "--sandbox=off"));
    }
}
