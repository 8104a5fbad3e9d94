package dev.panamavgpu.vhostuser;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.vhostuser.frontend.DeviceSession;
import dev.panamavgpu.vhostuser.frontend.FrontendConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Connections come and go without leaving fds, mappings or threads behind. */
class LifecycleTest {

    @Test
    void thousandConnectUseDisconnectCyclesLeakNothing() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            cycle(f); // warm up class loading and thread-locals
            f.awaitIdle();
            long fds = BadInputTest.openFds();
            long maps = mappings();
            int threads = Thread.activeCount();
            for (int i = 0; i < 1000; i++) cycle(f);
            f.awaitIdle();
            assertEquals(fds, BadInputTest.openFds(), "open fds");
            assertEquals(maps, mappings(), 8, "mappings");
            assertEquals(threads, Thread.activeCount(), "threads");
            assertEquals(1001, f.devices.stream().filter(d -> d.detaches.get() == 1).count(), "every device detached once");
        }
    }

    private static void cycle(ServerFixture f) throws Exception {
        try (DeviceSession s = DeviceSession.open(f.connect(), DeviceSession.Options.of(16, 16).withRam(1 << 20))) {
            assertEquals(0, QemuSequenceTest.roundTrip(s, 0, 8));
        }
        f.awaitIdle();
    }

    static long mappings() throws Exception {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.filter(l -> l.contains("memfd:guest-ram")).count();
        }
    }

    @Test
    void aSecondFrontendIsRefusedWithoutDisturbingTheFirst() throws Exception {
        try (ServerFixture f = new ServerFixture();
             DeviceSession first = DeviceSession.open(f.connect(), DeviceSession.Options.of(16, 16))) {
            try (FrontendConnection second = f.connect()) {
                assertThrows(java.io.IOException.class, second::getFeatures);
            }
            assertEquals(1, f.server.connectionsRefused());
            assertEquals(0, QemuSequenceTest.roundTrip(first, 0, 8));
        }
    }

    @Test
    void aFrontendReconnectingRightAfterItsCloseIsAccepted() throws Exception {
        // QEMU restarting (or a killed QEMU's successor) connects again at once: the old connection's
        // EOF and the new connection arrive together, and the new one must not be taken for a second front-end
        try (ServerFixture f = new ServerFixture()) {
            for (int i = 0; i < 200; i++) {
                try (FrontendConnection c = f.connect()) {
                    c.setOwner();
                }
                try (FrontendConnection c = f.connect()) {
                    assertNotEquals(0, c.getFeatures(), "reconnect " + i);
                }
            }
            assertEquals(0, f.server.connectionsRefused());
        }
    }

    @Test
    void disconnectMidMessageReleasesTheConnection() throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            try (FrontendConnection c = f.connect()) {
                try (var arena = java.lang.foreign.Arena.ofConfined()) {
                    var half = arena.allocate(6); // half a header
                    dev.panamavgpu.ffm.UnixSockets.send(c.socket(), new java.lang.foreign.MemorySegment[] {half}, new int[0]);
                }
            }
            f.awaitServed(1); // connect() returns before the server has accepted
            f.awaitIdle();
            assertFalse(f.server.hasActiveConnection());
            assertEquals(1, f.lastDevice().detaches.get());
            try (FrontendConnection c = f.connect()) {
                assertTrue(c.getFeatures() != 0);
            }
        }
    }
}
