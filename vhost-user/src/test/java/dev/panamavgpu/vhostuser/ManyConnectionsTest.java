package dev.panamavgpu.vhostuser;

import static dev.panamavgpu.vhostuser.LoopbackChains.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.ffm.UnixSockets;
import dev.panamavgpu.vhostuser.backend.PeerPolicy;
import dev.panamavgpu.vhostuser.backend.VhostUserServer;
import dev.panamavgpu.vhostuser.frontend.DeviceSession;
import dev.panamavgpu.vhostuser.frontend.FrontendConnection;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Several front-ends on one server (PeerPolicy with 3 slots): each VM's device runs on a loop
 * thread of its own, and a fault in one (an Error in its device, a fault in its message handling, a
 * disconnect) touches no other; a fourth front-end waits for a slot and gets the one freed.
 */
class ManyConnectionsTest {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final long NEEDS_RESET = 0x40;

    @Test
    void eachVmHasItsOwnLoopThreadAndAFaultInOneTouchesNoOther() throws Exception {
        String path = "/tmp/pvgpu-many-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet() + ".sock";
        Map<Long, LoopbackDevice> devices = new ConcurrentHashMap<>();
        Map<Long, String> threads = new ConcurrentHashMap<>();
        int uid;
        try (var pair = new AutoCloseablePair()) {
            uid = UnixSockets.peerCredentials(pair.fds[0]).uid();
        }
        VhostUserServer server = VhostUserServer.listen(path, 0600, peer -> {
            LoopbackDevice d = new LoopbackDevice();
            devices.put(peer.number(), d);
            threads.put(peer.number(), Thread.currentThread().getName());
            return d;
        }, PeerPolicy.many(3, uid, Set.of()), "test-accept").start();
        try (DeviceSession a = open(path); DeviceSession b = open(path); DeviceSession c = open(path)) {
            for (DeviceSession s : List.of(a, b, c)) roundTrips(s, 2);
            assertEquals(Set.of("vhost-user-vm-1", "vhost-user-vm-2", "vhost-user-vm-3"), Set.copyOf(threads.values()));
            assertEquals(3, server.activeConnections());

            // an Error in VM 2's device: it is reset and needs a reset; VMs 1 and 3 go on untouched
            devices.get(2L).failNextProcess = new StackOverflowError("injected");
            submitOne(b, (byte) 9);
            awaitStatus(b, NEEDS_RESET);
            roundTrips(a, 3);
            roundTrips(c, 3);
            assertEquals(0, devices.get(1L).resets.get() + devices.get(3L).resets.get());

            // a fault in VM 3's message handling drops VM 3 only
            devices.get(3L).failNextMessage = new IllegalStateException("injected");
            c.connection().send(33, 1, MemorySegment.ofArray(new byte[0]));
            awaitActive(server, 2);
            assertEquals(1, devices.get(3L).detaches.get());
            roundTrips(a, 3);

            // its slot is free again; then with all 3 taken a fourth waits and gets the slot VM 1 frees
            try (DeviceSession d = open(path)) {
                roundTrips(d, 2);
                FrontendConnection waiting = FrontendConnection.connect(path);
                a.close();
                try (DeviceSession e = DeviceSession.open(waiting, DeviceSession.Options.of(64, 16))) {
                    e.startRings(true);
                    roundTrips(e, 2);
                }
                roundTrips(d, 1);
            }
        } finally {
            server.close();
        }
        assertEquals(0, server.activeConnections());
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("vhost-user-vm-") && t.isAlive()),
                "no VM thread left");
    }

    private static final class AutoCloseablePair implements AutoCloseable {
        final dev.panamavgpu.ffm.Fd[] fds;
        AutoCloseablePair() throws Exception { fds = UnixSockets.socketpair(false); }
        @Override public void close() { fds[0].close(); fds[1].close(); }
    }

    private static DeviceSession open(String path) throws Exception {
        DeviceSession s = DeviceSession.open(FrontendConnection.connect(path), DeviceSession.Options.of(64, 16).withRam(4L << 20));
        s.startRings(true);
        return s;
    }

    private static void awaitActive(VhostUserServer server, int n) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.activeConnections() != n && System.nanoTime() < deadline) Thread.sleep(2);
        assertEquals(n, server.activeConnections());
    }
}
