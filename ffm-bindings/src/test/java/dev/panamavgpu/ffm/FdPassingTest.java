package dev.panamavgpu.ffm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class FdPassingTest {

    @Test
    void memfdAndTwoEventfdsCrossASocketpairAndMapToTheSameBytes() throws Exception {
        Fd[] pair = UnixSockets.socketpair(false);
        try (Fd a = pair[0]; Fd b = pair[1]; Fd memfd = Libc.memfdCreate("guest", 0);
             Fd ev1 = EventFd.create(true); Fd ev2 = EventFd.create(true); Arena arena = Arena.ofShared()) {
            Libc.ftruncate(memfd.get(), 8192);
            MemorySegment payload = arena.allocateFrom("hello");
            long sent = UnixSockets.send(a, new MemorySegment[] {payload}, new int[] {memfd.get(), ev1.get(), ev2.get()});
            assertEquals(payload.byteSize(), sent);

            MemorySegment buf = arena.allocate(64);
            UnixSockets.Received r = UnixSockets.receive(b, buf, 64);
            assertEquals(payload.byteSize(), r.bytes());
            assertEquals(3, r.fds().size());
            try {
                MemorySegment mine = Mman.map(memfd, 0, 8192, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, arena);
                MemorySegment theirs = Mman.map(r.fds().get(0), 0, 8192, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, arena);
                mine.set(JAVA_INT, 4096, 0xCAFEBABE);
                assertEquals(0xCAFEBABE, theirs.get(JAVA_INT, 4096));

                // the received eventfds are the same kernel objects: signal one side, drain the other
                EventFd.signal(ev1.get(), 3);
                assertEquals(3, EventFd.drain(r.fds().get(1).get()));
                EventFd.signal(r.fds().get(2).get(), 5);
                assertEquals(5, EventFd.drain(ev2.get()));
            } finally {
                r.closeFds();
            }
        }
    }

    @Test
    void readsOutsideAMappingThrowInsteadOfCrashing() throws Exception {
        try (Fd memfd = Libc.memfdCreate("oob", 0); Arena arena = Arena.ofShared()) {
            Libc.ftruncate(memfd.get(), 4096);
            MemorySegment m = Mman.map(memfd, 0, 4096, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, arena);
            assertThrows(IndexOutOfBoundsException.class, () -> m.get(JAVA_BYTE, 4096));
            assertThrows(IndexOutOfBoundsException.class, () -> m.asSlice(4000, 200));
        }
    }

    @Test
    void accessThroughAClosedArenaThrows() throws Exception {
        MemorySegment m;
        try (Fd memfd = Libc.memfdCreate("closed", 0)) {
            Libc.ftruncate(memfd.get(), 4096);
            Arena arena = Arena.ofShared();
            m = Mman.map(memfd, 0, 4096, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, arena);
            m.set(JAVA_BYTE, 0, (byte) 1);
            arena.close();
        }
        assertThrows(IllegalStateException.class, () -> m.get(JAVA_BYTE, 0));
    }

    @Test
    void errnoOfABadFdIsNamedAndExplained() {
        ErrnoException e = assertThrows(ErrnoException.class, () -> Libc.fstat(987_654));
        assertEquals("fstat", e.call());
        assertEquals(Errno.EBADF, e.errno());
        assertEquals("EBADF", e.errnoName());
        assertEquals("fstat: EBADF (Bad file descriptor)", e.getMessage());
    }

    @Test
    void fstatReportsTheSizeAndSealsPreventShrinking() throws Exception {
        try (Fd memfd = Libc.memfdCreate("sealed", Libc.MFD_ALLOW_SEALING)) {
            Libc.ftruncate(memfd.get(), 12345);
            assertEquals(12345, Libc.fstat(memfd.get()).size());
            Libc.fcntl(memfd.get(), Libc.F_ADD_SEALS, Libc.F_SEAL_SHRINK);
            assertTrue((Libc.fcntl(memfd.get(), Libc.F_GET_SEALS, 0) & Libc.F_SEAL_SHRINK) != 0);
            ErrnoException e = assertThrows(ErrnoException.class, () -> Libc.ftruncate(memfd.get(), 100));
            assertEquals("EPERM", e.errnoName());
        }
    }

    @Test
    void fdClosesOnceAndRefusesUseAfterClose() throws Exception {
        Fd ev = EventFd.create(true);
        int raw = ev.get();
        ev.close();
        ev.close();
        assertThrows(IllegalStateException.class, ev::get);
        assertThrows(ErrnoException.class, () -> Libc.fstat(raw));
    }

    @Test
    void nonBlockingCallsReturnAgainInsteadOfThrowing() throws Exception {
        Fd[] pair = UnixSockets.socketpair(true);
        try (Fd a = pair[0]; Fd b = pair[1]; Arena arena = Arena.ofConfined()) {
            UnixSockets.Received r = UnixSockets.receive(b, arena.allocate(16), 16);
            assertEquals(Libc.AGAIN, r.bytes());
            assertEquals(0, EventFd.drain(EventFd.create(true).get()));
        }
    }

    @Test
    void heapBuffersAreStagedForSending() throws Exception {
        Fd[] pair = UnixSockets.socketpair(false);
        try (Fd a = pair[0]; Fd b = pair[1]; Arena arena = Arena.ofConfined()) {
            byte[] msg = {1, 2, 3, 4, 5};
            assertEquals(5, UnixSockets.send(a, new MemorySegment[] {MemorySegment.ofArray(msg)}, new int[0]));
            MemorySegment buf = arena.allocate(8);
            assertEquals(5, UnixSockets.receive(b, buf, 8).bytes());
            assertArrayEquals(msg, buf.asSlice(0, 5).toArray(JAVA_BYTE));
        }
    }

    @Test
    void epollReportsAReadableEventfdWithItsToken() throws Exception {
        try (Epoll ep = new Epoll(8); Fd ev = EventFd.create(true)) {
            ep.add(ev.get(), Epoll.EPOLLIN, 0x1234_5678_9AL);
            assertEquals(0, ep.await(0));
            EventFd.signal(ev.get(), 1);
            assertEquals(1, ep.await(1000));
            assertEquals(0x1234_5678_9AL, ep.readyToken(0));
            assertTrue((ep.readyEvents(0) & Epoll.EPOLLIN) != 0);
        }
    }

    @Test
    void listenAcceptConnectWithMode0600() throws Exception {
        String path = "/tmp/pvgpu-ffm-" + ProcessHandle.current().pid() + ".sock";
        Libc.unlinkIfExists(path);
        try (Fd l = UnixSockets.listen(path, 0600, 4)) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(java.nio.file.Path.of(path))));
            assertEquals(null, UnixSockets.accept(l));
            try (Fd c = UnixSockets.connect(path); Fd s = UnixSockets.accept(l); Arena arena = Arena.ofConfined()) {
                UnixSockets.send(c, new MemorySegment[] {arena.allocateFrom("x")}, new int[0]);
                MemorySegment buf = arena.allocate(8);
                UnixSockets.Received r = UnixSockets.receive(s, buf, 8);
                assertArrayEquals(new byte[] {'x', 0}, buf.asSlice(0, 2).toArray(JAVA_BYTE));
                assertEquals(2, r.bytes());
            }
        } finally {
            Libc.unlinkIfExists(path);
        }
    }
}
