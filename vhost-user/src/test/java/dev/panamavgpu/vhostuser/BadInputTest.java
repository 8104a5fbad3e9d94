package dev.panamavgpu.vhostuser;

import static dev.panamavgpu.vhostuser.virtqueue.Ring.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.vhostuser.frontend.DeviceSession;
import dev.panamavgpu.vhostuser.frontend.DriverQueue;
import dev.panamavgpu.vhostuser.frontend.FrontendConnection;
import dev.panamavgpu.vhostuser.frontend.GuestRam;
import dev.panamavgpu.vhostuser.memory.RegionSpec;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Each malformed input gets its answer (zero-length used entry, error ack, or needs-reset) and the
 * back-end still serves the next good request.
 */
class BadInputTest {

    /** Builds a bad chain with the hand-written descriptors, submits it, expects a 0-length used entry, then a good one. */
    private void assertMalformedChainIsReturnedEmpty(BiConsumer<DeviceSession, DriverQueue> build) throws Exception {
        try (ServerFixture f = new ServerFixture(); DeviceSession s = DeviceSession.open(f.connect(), DeviceSession.Options.of(16, 16))) {
            DriverQueue q = s.queue(0);
            int old = q.availIndex();
            build.accept(s, q);
            s.submit(0, old);
            List<DriverQueue.Used> used = s.awaitUsed(0, 5000);
            assertEquals(1, used.size());
            assertEquals(0, used.get(0).length(), "malformed chain returned with length 0");
            assertEquals(0, f.lastDevice().processed.get(), "the device never saw it");
            assertEquals(0, QemuSequenceTest.roundTrip(s, 0, 16), "the next good chain is served");
            assertEquals(0, s.connection().getStatus() & 0x40);
        }
    }

    private static long buf(DeviceSession s) { return s.ram().alloc(64, 16); }

    @Test
    void descriptorLoop() throws Exception {
        assertMalformedChainIsReturnedEmpty((s, q) -> {
            int a = q.takeDescriptor(), b = q.takeDescriptor();
            q.writeRaw(a, buf(s), 8, F_NEXT, b);
            q.writeRaw(b, buf(s), 8, F_NEXT, a);
            q.push(a);
        });
    }

    @Test
    void nextBeyondQueueSize() throws Exception {
        assertMalformedChainIsReturnedEmpty((s, q) -> {
            int a = q.takeDescriptor();
            q.writeRaw(a, buf(s), 8, F_NEXT, 16);
            q.push(a);
        });
    }

    @Test
    void indirectInsideIndirect() throws Exception {
        assertMalformedChainIsReturnedEmpty((s, q) -> {
            long table = s.ram().alloc(32, 16);
            MemorySegment t = s.ram().at(table, 32);
            t.set(U64_UNALIGNED, DESC_ADDR, table);
            t.set(U32_UNALIGNED, DESC_LEN, 32);
            t.set(U16_UNALIGNED, DESC_FLAGS, (short) F_INDIRECT);
            int a = q.takeDescriptor();
            q.writeRaw(a, table, 32, F_INDIRECT, 0);
            q.push(a);
        });
    }

    @Test
    void indirectTableLongerThanTheLimitIsRefusedUnread() throws Exception {
        assertMalformedChainIsReturnedEmpty((s, q) -> {
            int a = q.takeDescriptor();
            int entries = dev.panamavgpu.vhostuser.virtqueue.SplitQueue.MAX_INDIRECT_ENTRIES + 1;
            q.writeRaw(a, s.ram().alloc(16L * entries, 16), 16 * entries, F_INDIRECT, 0);
            q.push(a);
        });
    }

    @Test
    void indirectLengthNotAMultipleOf16() throws Exception {
        assertMalformedChainIsReturnedEmpty((s, q) -> {
            int a = q.takeDescriptor();
            q.writeRaw(a, s.ram().alloc(32, 16), 20, F_INDIRECT, 0);
            q.push(a);
        });
    }

    @Test
    void writableBeforeReadable() throws Exception {
        assertMalformedChainIsReturnedEmpty((s, q) -> {
            int a = q.takeDescriptor(), b = q.takeDescriptor();
            q.writeRaw(a, buf(s), 8, F_NEXT | F_WRITE, b);
            q.writeRaw(b, buf(s), 8, 0, 0);
            q.push(a);
        });
    }

    @Test
    void addressOutsideGuestMemory() throws Exception {
        assertMalformedChainIsReturnedEmpty((s, q) -> {
            int a = q.takeDescriptor();
            q.writeRaw(a, 0x10, 8, 0, 0); // below the RAM base
            q.push(a);
        });
    }

    @Test
    void rangeRunningPastTheEndOfMemoryAndWrappingAddresses() throws Exception {
        assertMalformedChainIsReturnedEmpty((s, q) -> {
            int a = q.takeDescriptor(), b = q.takeDescriptor();
            q.writeRaw(a, s.ram().guestPhysBase() + s.ram().size() - 4, 8, F_NEXT, b);
            q.writeRaw(b, -8L, 16, 0, 0);
            q.push(a);
        });
    }

    @Test
    void availIndexRunningAheadMarksTheDeviceAsNeedingReset() throws Exception {
        try (ServerFixture f = new ServerFixture(); DeviceSession s = DeviceSession.open(f.connect(), DeviceSession.Options.of(16, 16))) {
            s.queue(0).setAvailIdxRaw(100);
            s.kick(0);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while ((s.connection().getStatus() & 0x40) == 0 && System.nanoTime() < deadline) Thread.sleep(5);
            assertEquals(0x40, s.connection().getStatus() & 0x40, "NEEDS_RESET visible in GET_STATUS");
            // the connection still answers, and the other queue still works
            assertEquals(0, QemuSequenceTest.roundTrip(s, 1, 8));
        }
    }

    @Test
    void regionFdShorterThanTheRegionIsRefused() throws Exception {
        try (ServerFixture f = new ServerFixture(); FrontendConnection c = f.connect(); GuestRam ram = new GuestRam(0, 1 << 20)) {
            c.setProtocolFeatures(c.getProtocolFeatures());
            RegionSpec claim = new RegionSpec(0, 2 << 20, ram.memory().address(), 0);
            assertNotEquals(0, c.requestAck(37, FrontendConnection.regionPayload(claim, true), ram.fd().get()));
            RegionSpec offset = new RegionSpec(0, 1 << 20, ram.memory().address(), 4096);
            assertNotEquals(0, c.requestAck(37, FrontendConnection.regionPayload(offset, true), ram.fd().get()));
            assertEquals(0, c.requestAck(37, FrontendConnection.regionPayload(ram.region(), true), ram.fd().get()));
        }
    }

    @Test
    void memTableMessagesWithWrongFdCountsOrOverlapsAreRefused() throws Exception {
        try (ServerFixture f = new ServerFixture(); FrontendConnection c = f.connect();
             GuestRam a = new GuestRam(0, 1 << 20); GuestRam b = new GuestRam(1 << 19, 1 << 20)) {
            c.useReplyAck(true);
            assertThrows(java.io.IOException.class, () -> c.setMemTable(new RegionSpec[] {a.region()}, new int[0]));
            assertThrows(java.io.IOException.class, () -> c.setMemTable(new RegionSpec[] {a.region(), b.region()}, new int[] {a.fd().get(), b.fd().get()}));
            assertNotEquals(0, c.requestAck(37, FrontendConnection.regionPayload(a.region(), true)), "ADD_MEM_REG without fd");
            c.addMemReg(a.region(), a.fd().get());
            assertThrows(java.io.IOException.class, () -> c.addMemReg(b.region(), b.fd().get()), "overlapping region");
            // REM_MEM_REG with an fd attached: accepted, and the fd is closed by the back-end
            assertEquals(0, c.requestAck(38, FrontendConnection.regionPayload(a.region(), true), a.fd().get()));
            assertNotEquals(0, c.requestAck(38, FrontendConnection.regionPayload(a.region(), true)), "already removed");
        }
    }

    @Test
    void removingTheRegionUnderARunningRingStopsItWithoutTouchingUnmappedMemory() throws Exception {
        try (ServerFixture f = new ServerFixture(); DeviceSession s = DeviceSession.open(f.connect(), DeviceSession.Options.of(16, 16))) {
            assertEquals(0, QemuSequenceTest.roundTrip(s, 0, 8));
            s.connection().remMemReg(s.ram().region());
            DriverQueue q = s.queue(0);
            int old = q.availIndex();
            long gpa = s.ram().alloc(16, 8);
            q.push(q.add(List.of(new DriverQueue.Buffer(gpa, 8)), List.of(new DriverQueue.Buffer(gpa + 8, 8))));
            s.submit(0, old);
            Thread.sleep(100);
            assertEquals(0, q.pendingUsed(), "nothing processed without memory");
            // the back-end is alive and answers; re-adding memory brings the ring back
            s.connection().addMemReg(s.ram().region(), s.ram().fd().get());
            s.kick(0);
            assertEquals(1, s.awaitUsed(0, 5000).size());
        }
    }

    @Test
    void fdsOfRefusedMessagesAreClosed() throws Exception {
        try (ServerFixture f = new ServerFixture(); FrontendConnection c = f.connect(); GuestRam a = new GuestRam(0, 1 << 20)) {
            long before = openFds();
            for (int i = 0; i < 200; i++) {
                assertNotEquals(0, c.requestAck(99, MemorySegment.ofArray(new byte[8]), a.fd().get()));
            }
            assertEquals(before, openFds(), 2);
        }
    }

    static long openFds() {
        String[] l = new java.io.File("/proc/self/fd").list();
        return l == null ? -1 : l.length;
    }

    @Test
    void oversizedMessageDropsTheConnectionButNotTheServer() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            try (FrontendConnection c = f.connect()) {
                MemorySegment h = MemorySegment.ofArray(new int[] {1, 1, 1 << 30});
                try (var arena = java.lang.foreign.Arena.ofConfined()) {
                    MemorySegment n = arena.allocate(12);
                    MemorySegment.copy(h, 0, n, 0, 12);
                    dev.panamavgpu.ffm.UnixSockets.send(c.socket(), new MemorySegment[] {n}, new int[0]);
                }
                f.awaitServed(1); // else the server may accept this connection only after c2's, and refuse c2
                f.awaitIdle();
                assertFalse(f.server.hasActiveConnection());
            }
            try (FrontendConnection c2 = f.connect()) {
                assertTrue(c2.getFeatures() != 0);
            }
        }
    }

    @Test
    void ringSizesThatAreNotAPowerOfTwoUpToTheMaximumAreRefused() throws Exception {
        try (ServerFixture f = new ServerFixture(); FrontendConnection c = f.connect()) {
            c.setProtocolFeatures(c.getProtocolFeatures());
            for (int num : new int[] {0, 3, 1000, 2048, -1}) {
                assertNotEquals(0, c.requestAck(dev.panamavgpu.vhostuser.message.Request.SET_VRING_NUM, MemorySegment.ofArray(new int[] {0, num})),
                        "ring size " + num);
            }
            assertEquals(0, c.requestAck(dev.panamavgpu.vhostuser.message.Request.SET_VRING_NUM, MemorySegment.ofArray(new int[] {0, 1024})));
        }
    }

    @Test
    void memorySlotsBeyondTheMaximumAreRefused() throws Exception {
        int slots = dev.panamavgpu.vhostuser.backend.BackendConnection.MAX_MEM_SLOTS;
        List<GuestRam> rams = new java.util.ArrayList<>();
        try (ServerFixture f = new ServerFixture(); FrontendConnection c = f.connect()) {
            c.setProtocolFeatures(c.getProtocolFeatures());
            assertEquals(slots, c.getMaxMemSlots());
            for (int i = 0; i <= slots; i++) rams.add(new GuestRam(0x10_0000L * i, 4096));
            for (int i = 0; i < slots; i++) {
                assertEquals(0, c.requestAck(37, FrontendConnection.regionPayload(rams.get(i).region(), true), rams.get(i).fd().get()), "slot " + i);
            }
            GuestRam extra = rams.get(slots);
            assertNotEquals(0, c.requestAck(37, FrontendConnection.regionPayload(extra.region(), true), extra.fd().get()), "one slot too many");
            assertEquals(0, c.requestAck(38, FrontendConnection.regionPayload(rams.get(0).region(), true)), "removing frees a slot");
            assertEquals(0, c.requestAck(37, FrontendConnection.regionPayload(extra.region(), true), extra.fd().get()));
        } finally {
            rams.forEach(GuestRam::close);
        }
    }

    @Test
    void callFdTakenAwayFromARunningRingKeepsTheConnectionServing() throws Exception {
        // found by BackendConnectionFuzzTest: SET_VRING_CALL with VRING_NOFD on a running ring signalled a null fd
        try (ServerFixture f = new ServerFixture(); DeviceSession s = DeviceSession.open(f.connect(), DeviceSession.Options.of(16, 16))) {
            MemorySegment noFd = MemorySegment.ofArray(new long[] {0x100}); // ring 0, VRING_NOFD
            s.connection().send(dev.panamavgpu.vhostuser.message.Request.SET_VRING_CALL, dev.panamavgpu.vhostuser.message.Header.VERSION_1, noFd);
            assertNotEquals(0, s.connection().getFeatures(), "the connection still answers");
            assertTrue(f.server.hasActiveConnection());
        }
    }

    static void unused(Fd fd) throws Exception { Libc.fstat(fd.get()); }
}
