package dev.panamavgpu.vhostuser;

import static dev.panamavgpu.vhostuser.LoopbackChains.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.vhostuser.frontend.DeviceSession;
import dev.panamavgpu.vhostuser.frontend.DriverQueue;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The fault policy at a connection (docs/security.md): an Error in the device, a fault in message
 * handling, and guest RAM the front-end truncates under the mapping. In each case the back-end stays
 * alive, what it can answer is answered, and the next front-end is served with nothing leaked.
 */
class FaultPolicyTest {
    private static final long NEEDS_RESET = 0x40;

    @Test
    void anErrorInTheDeviceResetsItMarksNeedsResetAndKeepsTheConnection() throws Exception {
        try (ServerFixture f = new ServerFixture();
             DeviceSession s = DeviceSession.open(f.connect(), DeviceSession.Options.of(64, 16))) {
            s.startRings(true);
            roundTrips(s, 3);
            LoopbackDevice d = f.lastDevice();
            d.failNextProcess = new StackOverflowError("injected");
            submitOne(s, (byte) 0);
            awaitStatus(s, NEEDS_RESET);
            assertEquals(1, d.resets.get(), "device reset by the fault policy");
            assertEquals(0, d.detaches.get(), "the connection stays");
            assertTrue(f.server.hasActiveConnection());
            // QEMU's stop/cont restarts the rings: the device serves again
            s.stopRings();
            s.startRings(false);
            assertEquals(64, s.awaitUsed(0, 5000).getFirst().length(), "the chain that met the fault is served after the restart");
            roundTrips(s, 3);
        }
    }

    @Test
    void aFaultWhileHandlingAMessageDropsTheConnectionAndTheNextIsServed() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            try (DeviceSession s = DeviceSession.open(f.connect(), DeviceSession.Options.of(64, 16))) {
                s.startRings(true);
                f.lastDevice().failNextMessage = new IllegalStateException("injected");
                s.connection().send(33, 1, MemorySegment.ofArray(new byte[0])); // a device message (GPU_SET_SOCKET's number)
                f.awaitIdle();
                assertFalse(f.server.hasActiveConnection(), "connection dropped");
                assertEquals(1, f.lastDevice().detaches.get(), "device released");
            }
            try (DeviceSession s = DeviceSession.open(f.connect(), DeviceSession.Options.of(64, 16))) {
                s.startRings(true);
                roundTrips(s, 3);
            }
        }
    }

    @Test
    void guestRamTruncatedUnderTheMappingIsAnErrorNotACrash() throws Exception {
        long fdsBefore, mapsBefore;
        try (ServerFixture f = new ServerFixture()) {
            // a first session, so lazily created state (threads, arenas) does not count as a leak
            try (DeviceSession s = DeviceSession.open(f.connect(), DeviceSession.Options.of(64, 16).withRam(4L << 20))) {
                s.startRings(true);
                roundTrips(s, 1);
            }
            f.awaitIdle();
            fdsBefore = sessionFds();
            mapsBefore = guestRamMappings();
            try (DeviceSession s = DeviceSession.open(f.connect(), DeviceSession.Options.of(64, 16).withRam(4L << 20))) {
                s.startRings(true);
                roundTrips(s, 2);
                // rings lie at the start of RAM; a buffer near its end, then RAM shrinks below it
                long buf = s.ram().guestPhysBase() + s.ram().size() - 8192;
                Libc.ftruncate(s.ram().fd().get(), 1L << 20);
                DriverQueue q = s.queue(0);
                int old = q.availIndex();
                int head = q.add(List.of(new DriverQueue.Buffer(buf, 64)), List.of(new DriverQueue.Buffer(buf + 4096, 64)));
                q.push(head);
                s.submit(0, old);
                List<DriverQueue.Used> used = s.awaitUsed(0, 5000);
                assertEquals(0, used.getFirst().length(), "the chain comes back, empty");
                awaitStatus(s, NEEDS_RESET);
                assertTrue(f.server.hasActiveConnection(), "back-end alive, connection kept");
            }
            f.awaitIdle();
            try (DeviceSession s = DeviceSession.open(f.connect(), DeviceSession.Options.of(64, 16).withRam(4L << 20))) {
                s.startRings(true);
                roundTrips(s, 3);
            }
            f.awaitIdle();
            assertEquals(fdsBefore, sessionFds(), "memfd, eventfd and socket fds after the faulting session");
            assertEquals(mapsBefore, guestRamMappings(), "guest RAM mappings after the faulting session");
        }
    }

    /** Open fds of the kinds a session uses (the JVM's own jar and log fds are not counted). */
    private static long sessionFds() throws IOException {
        try (Stream<Path> p = Files.list(Path.of("/proc/self/fd"))) {
            return p.map(FaultPolicyTest::target).filter(t -> t.contains("memfd:") || t.contains("eventfd") || t.startsWith("socket:")).count();
        }
    }

    private static String target(Path fd) {
        try { return Files.readSymbolicLink(fd).toString(); } catch (IOException e) { return ""; } // closed meanwhile
    }

    private static long guestRamMappings() throws IOException {
        try (Stream<String> l = Files.lines(Path.of("/proc/self/maps"))) { return l.filter(x -> x.contains("memfd:guest-ram")).count(); }
    }
}
