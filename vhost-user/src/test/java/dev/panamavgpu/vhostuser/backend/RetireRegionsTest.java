package dev.panamavgpu.vhostuser.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.UnixSockets;
import dev.panamavgpu.vhostuser.LoopbackDevice;
import dev.panamavgpu.vhostuser.frontend.FrontendConnection;
import dev.panamavgpu.vhostuser.frontend.GuestRam;
import dev.panamavgpu.vhostuser.loop.EventLoop;
import dev.panamavgpu.vhostuser.memory.RegionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Guest regions leave the process only when the device says nothing of its own still touches them
 * ({@link VhostUserDevice#retire}): a device with a native worker (virglrenderer) holds them until
 * the work queued before the change is done.
 */
class RetireRegionsTest {
    @Test
    void aReplacedTablesRegionsAndADisconnectedOnesStayMappedUntilTheDeviceLetsThemGo() throws Exception {
        try (GuestRam first = new GuestRam(0, 0x10000); GuestRam second = new GuestRam(0, 0x10000);
             EventLoop loop = new EventLoop()) {
            long base = guestRamMappings(); // the test's own mappings of both
            Fd[] pair = UnixSockets.socketpair(true);
            LoopbackDevice device = new LoopbackDevice();
            device.holdRetired = true;
            BackendConnection c = new BackendConnection(loop, pair[1], device, () -> {});
            c.start();
            FrontendConnection fe = FrontendConnection.over(pair[0]);

            fe.setMemTable(new RegionSpec[] {first.region()}, new int[] {first.fd().get()});
            loop.runOnce();
            assertEquals(base + 1, guestRamMappings(), "the first table is mapped");

            fe.setMemTable(new RegionSpec[] {second.region()}, new int[] {second.fd().get()});
            loop.runOnce();
            assertEquals(base + 2, guestRamMappings(), "the old region stays until the device retires it");
            assertEquals(1, device.heldRetirements.size());
            device.heldRetirements.removeFirst().run();
            assertEquals(base + 1, guestRamMappings(), "retired: only the new table is mapped");

            fe.close(); // the front-end goes away
            loop.runOnce();
            assertTrue(c.isClosed());
            assertEquals(base + 1, guestRamMappings(), "at disconnect too, the device decides when");
            assertEquals(1, device.heldRetirements.size());
            device.heldRetirements.removeFirst().run();
            assertEquals(base, guestRamMappings(), "nothing of the connection is left mapped");
        }
    }

    private static long guestRamMappings() throws Exception {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.filter(l -> l.contains("memfd:guest-ram")).count();
        }
    }
}
