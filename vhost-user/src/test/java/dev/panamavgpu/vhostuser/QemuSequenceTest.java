package dev.panamavgpu.vhostuser;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.ffm.EventFd;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.UnixSockets;
import dev.panamavgpu.vhostuser.frontend.DeviceSession;
import dev.panamavgpu.vhostuser.frontend.DriverQueue;
import dev.panamavgpu.vhostuser.frontend.FrontendConnection;
import dev.panamavgpu.vhostuser.message.Features;
import dev.panamavgpu.vhostuser.message.Header;
import dev.panamavgpu.vhostuser.message.Message;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replays the message sequences QEMU 10 sends to a GPU back-end (shared/reference, section 1.4). */
class QemuSequenceTest {

    @Test
    void realizeOffersExactlyWhatIsImplemented() throws Exception {
        try (ServerFixture f = new ServerFixture(); FrontendConnection c = f.connect()) {
            long features = c.getFeatures();
            assertEquals(Features.TRANSPORT | LoopbackDevice.FEATURE, features);
            assertEquals(0, features & (1L << 26), "no LOG_ALL: migration must stay blocked");
            long proto = c.getProtocolFeatures();
            assertEquals(Features.PROTOCOL_OFFERED, proto);
            assertEquals(0, proto & Features.PROTOCOL_F_LOG_SHMFD);
            c.setProtocolFeatures(proto);
            assertEquals(2, c.getQueueNum());
            assertTrue(c.getMaxMemSlots() >= 8);
            c.setOwner();
            assertEquals(features, c.getFeatures(), "GET_FEATURES again at realize");
            try (Fd call0 = EventFd.create(true); Fd err0 = EventFd.create(true)) {
                c.setVringCall(0, call0);
                c.setVringErr(0, err0);
            }
            // GET_CONFIG comes before anything else at driver load
            c.useReplyAck(true);
            assertEquals(16, c.getConfig(0, 16).length);
        }
    }

    @Test
    void driverLoadStopResumeAndResetLikeQemu() throws Exception {
        try (ServerFixture f = new ServerFixture();
             DeviceSession s = DeviceSession.open(f.connect(), DeviceSession.Options.of(64, 16))) {
            FrontendConnection c = s.connection();
            // SET_FEATURES as QEMU sends it, with bits the back-end never offered (RING_RESET, bit 40)
            c.setFeatures(s.features() | (1L << 40));
            assertEquals(0, roundTrip(s, 0, 8), 0);
            assertEquals(1, f.lastDevice().processed.get());

            // GPU_SET_SOCKET (33) reaches the device; flags 0x1 without NEED_REPLY get no reply
            Fd[] pair = UnixSockets.socketpair(false);
            c.send(33, Header.VERSION_1, MemorySegment.ofArray(new byte[0]), pair[0].get());
            pair[0].close();
            pair[1].close();

            // stop: enable=0, GET_VRING_BASE x2 -> next avail index
            List<Integer> bases = s.stopRings();
            assertEquals(List.of(1, 0), bases);
            assertEquals(1, f.lastDevice().deviceMessages.get());

            // while stopped, a kick is not processed
            DriverQueue q = s.queue(0);
            long gpa = s.ram().alloc(64, 8);
            int head = q.add(List.of(new DriverQueue.Buffer(gpa, 8)), List.of(new DriverQueue.Buffer(gpa + 8, 8)));
            q.push(head);
            q.publish();
            Thread.sleep(50);
            assertEquals(0, q.pendingUsed());

            // resume: SET_VRING_BASE from the saved base, and the chain queued meanwhile is served
            s.startRings(false);
            assertEquals(1, s.awaitUsed(0, 5000).size());
            assertEquals(2, f.lastDevice().processed.get());

            // RESET_DEVICE reaches the device
            c.resetDevice();
            assertEquals(0, c.getStatus() & 0x40);
            assertEquals(1, f.lastDevice().resets.get());
        }
    }

    @Test
    void unknownMessageWithNeedReplyGetsAnErrorAckAndTheConnectionGoesOn() throws Exception {
        try (ServerFixture f = new ServerFixture(); FrontendConnection c = f.connect()) {
            assertNotEquals(0, c.requestAck(99, MemorySegment.ofArray(new byte[4])));
            assertNotEquals(0, c.requestAck(6 /* SET_LOG_BASE */, MemorySegment.ofArray(new byte[16])));
            Message r = c.request(1, MemorySegment.ofArray(new byte[0]));
            assertEquals(Header.REPLY_FLAGS, r.flags());
            assertEquals(8, r.size());
        }
    }

    @Test
    void badVringIndexAndPayloadSizesAreRefusedWithAnAck() throws Exception {
        try (ServerFixture f = new ServerFixture(); FrontendConnection c = f.connect()) {
            assertNotEquals(0, c.requestAck(8 /* SET_VRING_NUM */, MemorySegment.ofArray(new int[] {7, 64})));
            assertNotEquals(0, c.requestAck(8, MemorySegment.ofArray(new int[] {0, 100})), "not a power of two");
            assertNotEquals(0, c.requestAck(2 /* SET_FEATURES */, MemorySegment.ofArray(new byte[3])));
            assertEquals(0, c.requestAck(8, MemorySegment.ofArray(new int[] {0, 64})));
            assertEquals(0, c.getConfig(0, 300).length, "oversized GET_CONFIG gets an empty (error) reply");
        }
    }

    @Test
    void configWritesAreVisibleToReads() throws Exception {
        try (ServerFixture f = new ServerFixture(); FrontendConnection c = f.connect()) {
            assertEquals(0, c.setConfig(4, new byte[] {1, 2, 3, 4}));
            assertArrayEquals(new byte[] {0, 0, 0, 0, 1, 2, 3, 4}, c.getConfig(0, 8));
            assertNotEquals(0, c.setConfig(14, new byte[] {1, 2, 3, 4}));
        }
    }

    /** One chain of {@code len} readable + writable bytes through queue {@code q}; returns written length minus len. */
    static int roundTrip(DeviceSession s, int q, int len) throws Exception {
        DriverQueue dq = s.queue(q);
        long gpa = s.ram().alloc(2L * len, 8);
        s.ram().at(gpa, len).fill((byte) 0x5a);
        int old = dq.availIndex();
        int head = dq.add(List.of(new DriverQueue.Buffer(gpa, len)), List.of(new DriverQueue.Buffer(gpa + len, len)));
        dq.push(head);
        s.submit(q, old);
        List<DriverQueue.Used> used = s.awaitUsed(q, 5000);
        assertEquals(1, used.size());
        assertEquals(head, used.get(0).head());
        assertEquals((byte) 0x5a, s.ram().at(gpa + len, 1).get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
        return used.get(0).length() - len;
    }
}
