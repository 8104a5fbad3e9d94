package dev.panamavgpu.gpu.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fenced requests complete in fence order per ring, up to the retired id, and never twice. */
class FenceQueueTest {
    @Test
    void aRetirementCompletesItsRingUpToTheIdInOrder() {
        FenceQueue q = new FenceQueue();
        List<String> done = new ArrayList<>();
        long ring = FenceQueue.ring(1, 0), other = FenceQueue.ring(2, 0);
        q.add(ring, 3, () -> done.add("r3"));
        q.add(ring, 1, () -> done.add("r1")); // added late (a 2D command answered before a 3D one): still first
        q.add(other, 2, () -> done.add("o2"));
        q.add(FenceQueue.GLOBAL, 5, () -> done.add("g5"));
        q.retire(ring, 2);
        assertEquals(List.of("r1"), done);
        q.retire(ring, 9);
        q.retire(ring, 9);
        assertEquals(List.of("r1", "r3"), done, "each once");
        q.retire(FenceQueue.GLOBAL, 4);
        assertEquals(2, q.waiting());
        q.retire(FenceQueue.GLOBAL, 5);
        assertEquals(List.of("r1", "r3", "g5"), done);
        q.retireContext(2);
        assertEquals(List.of("r1", "r3", "g5", "o2"), done, "a destroyed context's rings are answered");
        assertEquals(0, q.waiting());
    }

    @Test
    void theGlobalTimelineComparesTheLow32BitsVirglrendererReports() {
        FenceQueue q = new FenceQueue();
        List<Long> done = new ArrayList<>();
        q.add(FenceQueue.GLOBAL, 0x1_0000_0007L, () -> done.add(7L));
        q.retire(FenceQueue.GLOBAL, 7);
        assertEquals(List.of(7L), done);
    }
}
