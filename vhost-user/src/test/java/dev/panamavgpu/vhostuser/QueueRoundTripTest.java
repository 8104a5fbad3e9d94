package dev.panamavgpu.vhostuser;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.vhostuser.frontend.DeviceSession;
import dev.panamavgpu.vhostuser.frontend.DriverQueue;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** 100,000 chains through a loopback device, with and without EVENT_IDX and indirect tables. */
class QueueRoundTripTest {

    @ParameterizedTest(name = "eventIdx={0} indirect={1}")
    @CsvSource({"true,false", "false,false", "true,true", "false,true"})
    void hundredThousandChainsComeBackWithTheirLengths(boolean eventIdx, boolean indirect) throws Exception {
        final int total = 100_000, qsize = 256, window = 64;
        try (ServerFixture f = new ServerFixture();
             DeviceSession s = DeviceSession.open(f.connect(), DeviceSession.Options.of(qsize, 16).withEventIdx(eventIdx))) {
            DriverQueue q = s.queue(0);
            // one buffer pair per in-flight slot, reused
            long[] bufs = new long[window];
            for (int i = 0; i < window; i++) bufs[i] = s.ram().alloc(256, 8);
            ArrayDeque<Integer> freeSlots = new ArrayDeque<>();
            for (int i = 0; i < window; i++) freeSlots.add(i);
            int[] slotOfHead = new int[qsize];
            int[] lenOfHead = new int[qsize];
            int submitted = 0, completed = 0;
            while (completed < total) {
                int old = q.availIndex();
                while (submitted < total && !freeSlots.isEmpty()) {
                    int slot = freeSlots.poll();
                    int len = 1 + (submitted % 120);
                    MemorySegment src = s.ram().at(bufs[slot], len);
                    src.set(ValueLayout.JAVA_BYTE, len - 1, (byte) submitted);
                    List<DriverQueue.Buffer> r = List.of(new DriverQueue.Buffer(bufs[slot], len));
                    // writable split in two buffers to exercise multi-descriptor chains
                    List<DriverQueue.Buffer> w = List.of(new DriverQueue.Buffer(bufs[slot] + 128, 64), new DriverQueue.Buffer(bufs[slot] + 192, 64));
                    int head = indirect ? q.addIndirect(r, w) : q.add(r, w);
                    assertTrue(head >= 0);
                    slotOfHead[head] = slot;
                    lenOfHead[head] = len;
                    q.push(head);
                    submitted++;
                }
                s.submit(0, old);
                for (DriverQueue.Used u : s.awaitUsed(0, 10_000)) {
                    int expected = lenOfHead[u.head()];
                    assertEquals(expected, u.length(), "used length of chain " + u.head());
                    int slot = slotOfHead[u.head()];
                    byte last = s.ram().at(bufs[slot] + 128 + expected - 1, 1).get(ValueLayout.JAVA_BYTE, 0);
                    assertEquals(s.ram().at(bufs[slot] + expected - 1, 1).get(ValueLayout.JAVA_BYTE, 0), last);
                    freeSlots.add(slot);
                    completed++;
                }
            }
            assertEquals(total, f.lastDevice().processed.get());
        }
    }
}
