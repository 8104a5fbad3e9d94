package dev.panamavgpu.ivshmem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.ffm.UnixSockets;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IvshmemServerTest {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final Duration T = Duration.ofSeconds(5);
    private final String path = "/tmp/pvgpu-iv-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet() + ".sock";
    private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final List<AutoCloseable> open = new ArrayList<>();
    private IvshmemServer server;
    private volatile boolean failDoorbell;

    private void start(long size, int maxPeers) throws ErrnoException {
        server = IvshmemServer.listen(path, 0600, size, 2, maxPeers);
        server.attach(s -> new PeerEvents() {
            @Override public void onDoorbell(int vector) {
                events.add("doorbell " + vector);
                if (vector == 1 && failDoorbell) throw new StackOverflowError("injected");
            }
            @Override public void onPeerJoined(int id) { events.add("joined " + id); }
            @Override public void onPeerLeft(int id) { events.add("left " + id); }
            @Override public void onHostFault(String where, Throwable fault) { events.add("fault in " + where + ": " + fault); }
        });
        server.start();
    }

    private IvshmemClient client() throws IOException {
        IvshmemClient c = IvshmemClient.connect(path, 2, T);
        open.add(c);
        return c;
    }

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) c.close();
        if (server != null) server.close();
    }

    @Test
    void handshakeIsVersionIdShmThenHostVectorsThenOwnVectors() throws Exception {
        start(1 << 20, 4);
        try (Fd s = UnixSockets.connect(path); Arena a = Arena.ofConfined()) {
            MemorySegment b = a.allocate(8);
            List<Long> values = new ArrayList<>();
            List<Boolean> withFd = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                UnixSockets.Received r = UnixSockets.receive(s, b, 8);
                assertEquals(8, r.bytes(), "message " + i);
                values.add(b.get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
                withFd.add(r.fds().size() == 1);
                if (i == 2) assertEquals(1 << 20, Libc.fstat(r.fds().get(0).get()).size());
                r.closeFds();
            }
            assertEquals(List.of(0L, 1L, -1L, 0L, 0L, 1L, 1L), values);
            assertEquals(List.of(false, false, true, true, true, true, true), withFd);
        }
    }

    @Test
    void theRegionIsASealedMemfdOfThePowerOfTwoSize() throws Exception {
        start(1 << 16, 4);
        IvshmemClient c = client();
        assertEquals(1 << 16, c.shm().byteSize());
        int seals = Libc.fcntl(c.shmFd().get(), Libc.F_GET_SEALS, 0);
        assertEquals(Libc.F_SEAL_SHRINK | Libc.F_SEAL_GROW | Libc.F_SEAL_SEAL, seals);
        assertThrows(ErrnoException.class, () -> Libc.ftruncate(c.shmFd().get(), 4096));
        // the host's mapping and the client's are the same memory
        server.region().segment().set(ValueLayout.JAVA_INT, 64, 0x1234abcd);
        assertEquals(0x1234abcd, c.shm().get(ValueLayout.JAVA_INT, 64));
    }

    @Test
    void anErrorInTheHostDeviceGoesToItsFaultHandlerAndTheServerGoesOn() throws Exception {
        start(1 << 16, 4);
        failDoorbell = true;
        IvshmemClient a = client();
        assertEquals("joined 1", events.poll(5, TimeUnit.SECONDS));
        a.ring(0, 1);
        assertEquals("doorbell 1", events.poll(5, TimeUnit.SECONDS));
        String fault = events.poll(5, TimeUnit.SECONDS);
        assertNotNull(fault);
        assertTrue(fault.startsWith("fault in handler of fd") && fault.contains("injected"), fault);
        failDoorbell = false;
        a.ring(0, 1);
        assertEquals("doorbell 1", events.poll(5, TimeUnit.SECONDS), "the doorbell is still watched");
        client();
        assertEquals("joined 2", events.poll(5, TimeUnit.SECONDS), "the server still admits peers");
    }

    @Test
    void sizesThatAreNotPowersOfTwoAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> IvshmemServer.listen(path, 0600, 3 << 20, 2, 4));
        assertThrows(IllegalArgumentException.class, () -> IvshmemServer.listen(path, 0600, 4096, 2, 4));
        assertThrows(IllegalArgumentException.class, () -> IvshmemServer.listen(path, 0600, 1 << 20, 0, 4));
    }

    @Test
    void peersLearnOfEachOtherAndCanRingEachOtherAndTheHost() throws Exception {
        start(1 << 16, 4);
        IvshmemClient a = client();
        assertEquals("joined 1", events.poll(5, TimeUnit.SECONDS));
        IvshmemClient b = client();
        assertEquals("joined 2", events.poll(5, TimeUnit.SECONDS));
        assertEquals(1, a.id());
        assertEquals(2, b.id());
        assertEquals(2, b.vectorsOf(0));
        assertEquals(2, b.vectorsOf(1));
        waitFor(() -> poll(a) && a.vectorsOf(2) == 2);

        b.ring(1, 1);
        waitFor(() -> drain(a, 1) == 1);
        a.ring(0, 1);
        assertEquals("doorbell 1", events.poll(5, TimeUnit.SECONDS));
        b.ring(0, 0);
        assertEquals("doorbell 0", events.poll(5, TimeUnit.SECONDS));

        // the host signals a peer's vector from its loop thread
        LinkedBlockingQueue<Boolean> done = new LinkedBlockingQueue<>();
        server.execute(() -> done.add(server.signal(2, 0) && !server.signal(9, 0)));
        assertTrue(done.poll(5, TimeUnit.SECONDS));
        waitFor(() -> drain(b, 0) == 1);

        b.close();
        assertEquals("left 2", events.poll(5, TimeUnit.SECONDS));
        waitFor(() -> poll(a) && a.peersLeft().contains(2) && !a.knowsPeer(2));
        assertEquals(1, server.peerCount());
    }

    @Test
    void aPeerThatWritesIsDroppedAndTheOthersCarryOn() throws Exception {
        start(1 << 16, 4);
        IvshmemClient good = client();
        try (Fd bad = UnixSockets.connect(path); Arena ar = Arena.ofConfined()) {
            MemorySegment b = ar.allocate(8);
            for (int i = 0; i < 7; i++) UnixSockets.receive(bad, b, 8).closeFds();
            waitFor(() -> server.peerCount() == 2);
            UnixSockets.send(bad, new MemorySegment[] {ar.allocateFrom("junk")}, new int[0]);
            waitFor(() -> server.peerCount() == 1);
            // the dropped peer's socket is closed by the server
            waitFor(() -> {
                try { return UnixSockets.receive(bad, b, 8).bytes() == 0; } catch (ErrnoException e) { return true; }
            });
        }
        waitFor(() -> poll(good) && good.peersLeft().contains(2));
        good.ring(0, 0);
        waitFor(() -> events.contains("doorbell 0"));
        IvshmemClient next = client();
        assertNotEquals(good.id(), next.id());
        assertEquals(3, next.id());
    }

    @Test
    void connectionsBeyondTheLimitAreClosedWithoutHarm() throws Exception {
        start(1 << 16, 1);
        IvshmemClient first = client();
        assertThrows(IOException.class, () -> IvshmemClient.connect(path, 2, T));
        assertEquals(1, server.peerCount());
        first.ring(0, 1);
        assertEquals("joined 1", events.poll(5, TimeUnit.SECONDS));
        assertEquals("doorbell 1", events.poll(5, TimeUnit.SECONDS));
    }

    @Test
    void closingTheServerClosesPeersAndRemovesTheSocket() throws Exception {
        start(1 << 16, 4);
        IvshmemClient c = client();
        server.close();
        assertTrue(server.awaitStop(5, TimeUnit.SECONDS));
        assertFalse(new java.io.File(path).exists());
        assertThrows(IOException.class, c::poll);
        server = null;
    }

    private static boolean poll(IvshmemClient c) {
        try { c.poll(); return true; } catch (IOException e) { throw new AssertionError(e); }
    }

    private static long drain(IvshmemClient c, int v) {
        try { return c.drainOwn(v); } catch (ErrnoException e) { throw new AssertionError(e); }
    }

    static void waitFor(BooleanSupplier cond) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not met within 5 s");
            Thread.sleep(2);
        }
    }

}
