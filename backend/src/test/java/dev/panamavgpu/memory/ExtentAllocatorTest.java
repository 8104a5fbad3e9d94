package dev.panamavgpu.memory;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExtentAllocatorTest {
    private static final long P = ExtentAllocator.PAGE;

    @Test
    void allocatesPageRoundedRangesFirstFitAndRunsOut() {
        ExtentAllocator a = new ExtentAllocator(4 * P);
        assertEquals(0, a.allocate(1));
        assertEquals(P, a.allocate(P + 1)); // two pages
        assertEquals(3 * P, a.allocate(P));
        assertEquals(-1, a.allocate(1));
        assertEquals(4 * P, a.used());
    }

    @Test
    void freedNeighboursMergeSoALargeRangeFitsAgain() {
        ExtentAllocator a = new ExtentAllocator(3 * P);
        long x = a.allocate(P), y = a.allocate(P), z = a.allocate(P);
        a.free(x, P);
        a.free(z, P);
        assertEquals(-1, a.allocate(2 * P), "two free pages, but not adjacent");
        a.free(y, P);
        assertEquals(1, a.freeRanges());
        assertEquals(0, a.allocate(3 * P));
    }

    @Test
    void doubleFreeIsCaught() {
        ExtentAllocator a = new ExtentAllocator(4 * P);
        long x = a.allocate(2 * P);
        a.free(x, 2 * P);
        assertThrows(IllegalStateException.class, () -> a.free(x, 2 * P));
        assertThrows(IllegalArgumentException.class, () -> a.free(3 * P, 2 * P)); // beyond the end
    }

    @Test
    void randomAllocateFreeNeverOverlapsAndReturnsToOneRange() {
        ExtentAllocator a = new ExtentAllocator(256 * P);
        Random rnd = new Random(7);
        List<long[]> live = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            if (live.isEmpty() || rnd.nextBoolean()) {
                long len = (1 + rnd.nextInt(8)) * P - rnd.nextInt((int) P);
                long at = a.allocate(len);
                if (at < 0) continue;
                long end = at + ExtentAllocator.roundUp(len);
                for (long[] l : live) assertTrue(end <= l[0] || at >= l[0] + ExtentAllocator.roundUp(l[1]), "overlap");
                live.add(new long[] {at, len});
            } else {
                long[] l = live.remove(rnd.nextInt(live.size()));
                a.free(l[0], l[1]);
            }
        }
        for (long[] l : live) a.free(l[0], l[1]);
        assertEquals(0, a.used());
        assertEquals(1, a.freeRanges());
    }
}
