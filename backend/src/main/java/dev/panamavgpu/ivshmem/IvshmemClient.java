package dev.panamavgpu.ivshmem;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.EventFd;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.ffm.Mman;
import dev.panamavgpu.ffm.UnixSockets;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The client side of the ivshmem protocol, doing what QEMU's ivshmem-doorbell does with the
 * server's messages: map the region, keep every peer's eventfds (to ring them) and its own (to be
 * rung). Used by tests and the test guest; owned by one thread.
 */
public final class IvshmemClient implements AutoCloseable {
    private final Fd socket;
    private final int id;
    private final int vectors;
    private final Fd shmFd;
    private final Arena arena;
    private final MemorySegment shm;
    private final Map<Integer, List<Fd>> peers = new HashMap<>();
    private final List<Integer> left = new ArrayList<>();
    private final MemorySegment buf = Arena.ofAuto().allocate(8);

    private IvshmemClient(Fd socket, int id, int vectors, Fd shmFd, Arena arena, MemorySegment shm) {
        this.socket = socket;
        this.arena = arena;
        this.id = id;
        this.vectors = vectors;
        this.shmFd = shmFd;
        this.shm = shm;
    }

    /** Connects and reads the handshake up to and including this client's own {@code vectors} eventfds. */
    public static IvshmemClient connect(String path, int vectors, Duration timeout) throws IOException {
        Fd s = UnixSockets.connect(path);
        long deadline = System.nanoTime() + timeout.toNanos();
        IvshmemClient c = null;
        Fd shmFd = null;
        try {
            Libc.setNonBlocking(s.get());
            MemorySegment b = Arena.ofAuto().allocate(8);
            Msg m = read(s, b, deadline);
            if (m.value != IvshmemProtocol.VERSION || m.fd != null) throw new IOException("bad version message " + m.value);
            m = read(s, b, deadline);
            if (m.value < 0 || m.value > IvshmemProtocol.MAX_PEER_ID || m.fd != null) throw new IOException("bad id message " + m.value);
            int id = (int) m.value;
            m = read(s, b, deadline);
            if (m.value != IvshmemProtocol.SHM || m.fd == null) throw new IOException("expected the shm fd, got " + m.value);
            shmFd = m.fd;
            long size = Libc.fstat(shmFd.get()).size();
            Arena a = Arena.ofShared();
            MemorySegment shm;
            try {
                shm = Mman.map(shmFd, 0, size, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_SHARED, a);
            } catch (ErrnoException e) {
                a.close();
                throw e;
            }
            c = new IvshmemClient(s, id, vectors, shmFd, a, shm);
            while (c.peers.getOrDefault(id, List.of()).size() < vectors) c.accept(read(s, b, deadline));
            return c;
        } catch (IOException | RuntimeException e) {
            if (c != null) c.close();
            else {
                s.close();
                if (shmFd != null) shmFd.close();
            }
            throw e;
        }
    }

    private record Msg(long value, Fd fd) {}

    private static Msg read(Fd s, MemorySegment b, long deadline) throws IOException {
        while (true) {
            Msg m = tryRead(s, b);
            if (m != null) return m;
            if (System.nanoTime() - deadline > 0) throw new IOException("ivshmem handshake timed out");
            try { Thread.sleep(1); } catch (InterruptedException e) { Thread.currentThread().interrupt(); throw new IOException("interrupted"); }
        }
    }

    private static Msg tryRead(Fd s, MemorySegment b) throws IOException {
        UnixSockets.Received r = UnixSockets.receive(s, b, 8);
        if (r.bytes() == Libc.AGAIN) return null;
        if (r.bytes() == 0) throw new IOException("server closed the connection");
        if (r.bytes() != 8 || r.fds().size() > 1) {
            r.closeFds();
            throw new IOException("malformed message: " + r.bytes() + " bytes, " + r.fds().size() + " fds");
        }
        return new Msg(IvshmemProtocol.decode(b), r.fds().isEmpty() ? null : r.fds().get(0));
    }

    private void accept(Msg m) throws IOException {
        if (m.value < 0 || m.value > IvshmemProtocol.MAX_PEER_ID) {
            if (m.fd != null) m.fd.close();
            throw new IOException("bad peer id " + m.value);
        }
        int peer = (int) m.value;
        if (m.fd == null) { // peer left
            List<Fd> gone = peers.remove(peer);
            if (gone != null) gone.forEach(Fd::close);
            left.add(peer);
            return;
        }
        List<Fd> v = peers.computeIfAbsent(peer, k -> new ArrayList<>());
        if (v.size() >= vectors) m.fd.close(); // as QEMU: extra vectors are dropped
        else v.add(m.fd);
    }

    /** Reads whatever join/leave news has arrived, without blocking. */
    public void poll() throws IOException {
        Msg m;
        while ((m = tryRead(socket, buf)) != null) accept(m);
    }

    public int id() { return id; }
    public MemorySegment shm() { return shm; }
    public Fd shmFd() { return shmFd; }
    public boolean knowsPeer(int peer) { return peers.containsKey(peer); }
    public int vectorsOf(int peer) { return peers.getOrDefault(peer, List.of()).size(); }
    public List<Integer> peersLeft() { return List.copyOf(left); }
    public List<Integer> peerIds() { return List.copyOf(peers.keySet()); }

    /** Rings {@code peer}'s {@code vector}: what a guest's doorbell write does through QEMU's ioeventfd. */
    public void ring(int peer, int vector) throws ErrnoException {
        List<Fd> v = peers.get(peer);
        if (v == null || vector >= v.size()) throw new IllegalArgumentException("no vector " + vector + " for peer " + peer);
        EventFd.signal(v.get(vector).get(), 1);
    }

    /** Reads and resets this client's own vector counter (0 if it was not signalled). */
    public long drainOwn(int vector) throws ErrnoException {
        return EventFd.drain(peers.get(id).get(vector).get());
    }

    public Fd ownVector(int vector) { return peers.get(id).get(vector); }

    @Override
    public void close() {
        socket.close();
        for (List<Fd> v : peers.values()) v.forEach(Fd::close);
        peers.clear();
        if (arena.scope().isAlive()) arena.close();
        shmFd.close();
    }
}
