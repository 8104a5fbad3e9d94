package dev.panamavgpu.vhostuser.fuzz;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.panamavgpu.vhostuser.virtqueue.DescriptorChain;
import dev.panamavgpu.vhostuser.virtqueue.QueueException;
import dev.panamavgpu.vhostuser.virtqueue.Ring;
import dev.panamavgpu.vhostuser.virtqueue.SplitQueue;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz target 1: the split-ring descriptor-chain walker over arbitrary ring and descriptor-table
 * bytes in 64 KiB of guest memory. Input ({@link FuzzBytes}): queue-size exponent, EVENT_IDX,
 * last_avail, the descriptor table, the avail ring, used.idx, then (gpa, bytes) patches (indirect
 * tables and data anywhere, across the region boundary at 0x8000).
 *
 * <p>Oracles: only {@link QueueException} may escape; every chain's lengths equal its segments;
 * reads and writes stay inside the chain; used.idx advances by exactly the completions.
 */
class DescriptorChainFuzzTest {
    static final long DESC = 0x0, AVAIL = 0x1000, USED = 0x2000;
    private static SmallGuestMemory ram;
    private static final MemorySegment scratch = MemorySegment.ofArray(new byte[1 << 17]);

    @BeforeAll
    static void map() throws Exception { ram = new SmallGuestMemory(); }

    @AfterAll
    static void unmap() { ram.close(); }

    @FuzzTest(maxDuration = "10s")
    void walk(byte[] input) throws Exception {
        FuzzBytes in = new FuzzBytes(input);
        ram.clear();
        int size = 1 << in.pick(9);
        boolean eventIdx = in.bool();
        int lastAvail = in.u16();
        ram.write(DESC, in.bytes(size * 16));
        ram.write(AVAIL, in.bytes((int) Ring.availSize(size)));
        ram.slice(USED, 4).set(Ring.U16, Ring.USED_IDX, (short) in.u16());
        while (in.more()) ram.write(in.u16(), in.lengthPrefixed(4096));
        int usedStart = Short.toUnsignedInt(ram.slice(USED, 4).get(Ring.U16, Ring.USED_IDX)); // patches may overwrite it

        SplitQueue q = new SplitQueue(size, ram.slice(DESC, Ring.descTableSize(size)), ram.slice(AVAIL, Ring.availSize(size)),
                ram.slice(USED, Ring.usedSize(size)), ram.memory(), eventIdx, lastAvail);
        int availIdx = Short.toUnsignedInt(ram.slice(AVAIL, 4).get(Ring.U16, Ring.AVAIL_IDX));
        int pending = (availIdx - lastAvail) & 0xffff;
        int completed = 0;
        try {
            DescriptorChain c;
            while ((c = q.pop()) != null) {
                check(c, size);
                long n = c.read(0, scratch);
                assertEquals(Math.min(c.readableLength(), scratch.byteSize()), n, "bytes read from " + c);
                // a chain may point into the rings themselves; writing there would be the device, not
                // the guest, changing avail.idx and used.idx under the oracle, so such chains get no data
                long w = touchesRings(c, size) ? 0 : c.write(0, scratch.asSlice(0, Math.min(n, c.writableLength())));
                q.addUsed(c.head(), w);
                completed++;
                assertTrue(completed <= pending, "more chains than avail entries");
                if ((completed & 3) == 0) q.publish();
            }
            q.enableNotification();
        } catch (QueueException e) {
            assertTrue(pending > size || e.getMessage().contains("descriptor"), e.getMessage());
        }
        q.publish();
        long total = completed + q.malformedChains();
        assertTrue(total <= pending, total + " completions for " + pending + " avail entries");
        int usedIdx = Short.toUnsignedInt(ram.slice(USED, 4).get(Ring.U16, Ring.USED_IDX));
        assertEquals((usedStart + total) & 0xffff, usedIdx, "used.idx");
    }

    private static boolean touchesRings(DescriptorChain c, int size) throws Exception {
        long lo = ram.slice(DESC, 1).address(), hi = ram.slice(USED, Ring.usedSize(size)).address() + Ring.usedSize(size);
        for (MemorySegment s : c.writable()) if (s.address() < hi && s.address() + s.byteSize() > lo) return true;
        return false;
    }

    private static void check(DescriptorChain c, int size) {
        assertTrue(c.head() >= 0 && c.head() < size, "head " + c.head());
        long r = 0, w = 0;
        for (MemorySegment s : c.readable()) r += s.byteSize();
        for (MemorySegment s : c.writable()) w += s.byteSize();
        assertEquals(c.readableLength(), r, "readable length of " + c);
        assertEquals(c.writableLength(), w, "writable length of " + c);
        // each descriptor gives at most two segments (one per region); a chain has at most
        // size direct descriptors plus one indirect table
        int maxSegments = 2 * (size + SplitQueue.MAX_INDIRECT_ENTRIES);
        assertTrue(c.readable().size() + c.writable().size() <= maxSegments, "segments of " + c);
    }
}
