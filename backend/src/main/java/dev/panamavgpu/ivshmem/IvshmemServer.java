package dev.panamavgpu.ivshmem;

import dev.panamavgpu.ffm.Epoll;
import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.EventFd;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.ffm.UnixSockets;
import dev.panamavgpu.vhostuser.loop.EventLoop;
import dev.panamavgpu.vhostuser.loop.LoopThread;
import dev.panamavgpu.vhostuser.loop.FaultScope;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An ivshmem server (the protocol of QEMU's contrib/ivshmem-server) that is also peer {@link #HOST_ID}:
 * it owns that peer's eventfds and never connects to itself. Each socket client (QEMU's
 * {@code ivshmem-doorbell}, or a test peer) gets: version 0, its id, the shm fd, every other peer's
 * vectors (host first), then its own; the others get the newcomer's vectors, and later a bare id when
 * it leaves.
 *
 * <p>Threads: one platform thread ("ivshmem-loop") runs the {@link EventLoop}; it owns the peer table,
 * the sockets and the host device (whose doorbells it watches). Other threads only use
 * {@link #execute}, {@link #close} and the volatile counters. Every socket is non-blocking: a client
 * whose socket cannot take a message, that writes anything, or that hangs up, is dropped alone.
 */
public final class IvshmemServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IvshmemServer.class);
    public static final int HOST_ID = 0;
    public static final int MAX_VECTORS = 64;

    private final EventLoop loop;
    private final SharedRegion region;
    private final int vectors;
    private final int maxPeers;
    private final Fd listener;
    private final String path;
    private final Fd[] hostVectors;
    private final Map<Integer, Peer> peers = new LinkedHashMap<>();
    private final LoopThread thread;
    private PeerEvents host = new PeerEvents() { // until a device is attached: doorbells go nowhere
        @Override public void onDoorbell(int vector) {}
        @Override public void onHostFault(String where, Throwable fault) { log.error("ivshmem: {} failed with no device attached", where, fault); }
    };
    private int nextId = 1;
    private volatile int peerCount;
    private volatile long peersServed;
    private volatile long peersDropped;

    /** A connected client: its socket and the eventfds others use to interrupt it. */
    private static final class Peer {
        final int id;
        final Fd socket;
        final Fd[] vectors;
        EventLoop.Watch watch;

        Peer(int id, Fd socket, Fd[] vectors) {
            this.id = id;
            this.socket = socket;
            this.vectors = vectors;
        }

        void close() {
            if (watch != null) watch.cancel();
            socket.close();
            for (Fd v : vectors) if (v != null) v.close();
        }
    }

    private IvshmemServer(String path, Fd listener, SharedRegion region, int vectors, int maxPeers) throws ErrnoException {
        this.path = path;
        this.listener = listener;
        this.region = region;
        this.vectors = vectors;
        this.maxPeers = maxPeers;
        this.loop = new EventLoop();
        this.hostVectors = new Fd[vectors];
        try {
            for (int v = 0; v < vectors; v++) {
                hostVectors[v] = EventFd.create(true);
                int vector = v;
                loop.watch(hostVectors[v].get(), Epoll.EPOLLIN, hostScope, ev -> hostDoorbell(vector));
            }
            loop.watch(listener.get(), Epoll.EPOLLIN, ev -> acceptPending());
        } catch (ErrnoException | RuntimeException e) {
            for (Fd f : hostVectors) if (f != null) f.close();
            loop.close();
            throw e;
        }
        this.thread = new LoopThread(loop, "ivshmem-loop", this::cleanup);
    }

    /**
     * Creates the sealed region of {@code size} bytes and listens on {@code path} (a stale socket
     * file is replaced). The host device is made from the region and the server (on the caller's
     * thread, before anything is served) and attached before {@link #start}.
     */
    public static IvshmemServer listen(String path, int mode, long size, int vectors, int maxPeers) throws ErrnoException {
        if (vectors < 1 || vectors > MAX_VECTORS) throw new IllegalArgumentException("vectors must be 1.." + MAX_VECTORS);
        if (maxPeers < 1 || maxPeers > IvshmemProtocol.MAX_PEER_ID) throw new IllegalArgumentException("max peers " + maxPeers);
        SharedRegion region = SharedRegion.create("panama-vgpu-ivshmem", size);
        Fd l = null;
        try {
            Libc.unlinkIfExists(path);
            l = UnixSockets.listen(path, mode, 8);
            return new IvshmemServer(path, l, region, vectors, maxPeers);
        } catch (ErrnoException | RuntimeException e) {
            if (l != null) l.close();
            region.close();
            throw e;
        }
    }

    /** Faults of the host device (doorbells, its timers and tasks) go to the device. */
    private final FaultScope hostScope = new FaultScope() {
        @Override public String describe() { return "ivshmem host device"; }
        @Override public void contain(String where, Throwable fault) { host.onHostFault(where, fault); }
    };

    /** A fault while serving one peer drops that peer; the others go on. */
    private FaultScope peerScope(Peer p) {
        return new FaultScope() {
            @Override public String describe() { return "ivshmem peer " + p.id; }

            @Override
            public void contain(String where, Throwable fault) {
                log.error("ivshmem peer {}: {} failed; dropping the peer", p.id, where, fault);
                drop(p);
            }
        };
    }

    /** Attaches the host device; call before {@link #start}. */
    public <T extends PeerEvents> T attach(Function<IvshmemServer, T> factory) {
        if (thread.started()) throw new IllegalStateException("attach before start");
        T device = factory.apply(this);
        host = device;
        return device;
    }

    public IvshmemServer start() {
        thread.start();
        return this;
    }

    public EventLoop loop() { return loop; }
    public SharedRegion region() { return region; }
    public int vectors() { return vectors; }
    public String path() { return path; }
    public int peerCount() { return peerCount; }
    public long peersServed() { return peersServed; }
    public long peersDropped() { return peersDropped; }

    /** Runs {@code task} on the loop thread. Safe from any thread. */
    public void execute(Runnable task) { loop.execute(task); }

    /**
     * Interrupts {@code peerId} on {@code vector} (writes 1 to its eventfd: MSI-X vector in a QEMU
     * guest). Loop thread only, so the eventfd cannot be closed underneath. False if no such peer.
     */
    public boolean signal(int peerId, int vector) {
        Peer p = peers.get(peerId);
        if (p == null || vector < 0 || vector >= vectors) return false;
        try {
            EventFd.signal(p.vectors[vector].get(), 1);
            return true;
        } catch (ErrnoException e) {
            log.debug("signal peer {} vector {}: {}", peerId, vector, e.getMessage());
            return false;
        }
    }

    public boolean hasPeer(int peerId) { return peers.containsKey(peerId); }

    private void hostDoorbell(int vector) {
        try {
            EventFd.drain(hostVectors[vector].get());
        } catch (ErrnoException e) {
            log.warn("host vector {}: {}", vector, e.getMessage());
            return;
        }
        host.onDoorbell(vector);
    }

    private void acceptPending() {
        while (true) {
            Fd fd;
            try {
                fd = UnixSockets.accept(listener);
            } catch (ErrnoException e) {
                log.warn("ivshmem accept failed: {}", e.getMessage());
                return;
            }
            if (fd == null) return;
            int id = allocateId();
            if (peers.size() >= maxPeers || id < 0) {
                log.warn("ivshmem: refused a peer, {} connected (limit {})", peers.size(), maxPeers);
                fd.close();
                continue;
            }
            admit(id, fd);
        }
    }

    /** Like the example server: ids count up from 1 (0 is the host), skipping ids in use, wrapping. */
    private int allocateId() {
        for (int tries = 0; tries < IvshmemProtocol.MAX_PEER_ID; tries++) {
            int id = nextId;
            nextId = nextId >= IvshmemProtocol.MAX_PEER_ID ? 1 : nextId + 1;
            if (!peers.containsKey(id)) return id;
        }
        return -1;
    }

    private void admit(int id, Fd socket) {
        Fd[] v = new Fd[vectors];
        Peer p = new Peer(id, socket, v);
        List<Peer> failed = new ArrayList<>();
        try {
            for (int i = 0; i < vectors; i++) v[i] = EventFd.create(true);
            // QEMU reads version, id and shm synchronously in realize, then the rest from its chardev handler.
            boolean ok = IvshmemProtocol.send(socket, IvshmemProtocol.VERSION, null)
                    && IvshmemProtocol.send(socket, id, null)
                    && IvshmemProtocol.send(socket, IvshmemProtocol.SHM, region.fd());
            for (int i = 0; ok && i < vectors; i++) ok = IvshmemProtocol.send(socket, HOST_ID, hostVectors[i]);
            for (Peer other : peers.values()) {
                for (int i = 0; ok && i < vectors; i++) ok = IvshmemProtocol.send(socket, other.id, other.vectors[i]);
            }
            // own vectors last: QEMU sets up its MSI-X vectors from these and needs the shm first
            for (int i = 0; ok && i < vectors; i++) ok = IvshmemProtocol.send(socket, id, v[i]);
            if (!ok) throw new IllegalStateException("peer does not read its handshake");
            for (Peer other : peers.values()) {
                if (!announce(other, id, v)) failed.add(other);
            }
            p.watch = loop.watch(socket.get(), Epoll.EPOLLIN | Epoll.EPOLLRDHUP, peerScope(p), ev -> {
                // clients never send: data, EOF or an error all mean the peer is gone or misbehaving
                log.info("ivshmem peer {} {}", id, (ev & (Epoll.EPOLLHUP | Epoll.EPOLLRDHUP | Epoll.EPOLLERR)) != 0 ? "hung up" : "sent data; dropped");
                drop(p);
            });
        } catch (ErrnoException | RuntimeException e) {
            log.warn("ivshmem peer {} not admitted: {}", id, e.getMessage());
            p.close();
            peersDropped++;
            failed.forEach(this::drop);
            return;
        }
        peers.put(id, p);
        peerCount = peers.size();
        peersServed++;
        log.info("ivshmem peer {} connected ({} vectors)", id, vectors);
        failed.forEach(this::drop);
        host.onPeerJoined(id);
    }

    private boolean announce(Peer to, int id, Fd[] vec) {
        try {
            for (Fd f : vec) if (!IvshmemProtocol.send(to.socket, id, f)) return false;
            return true;
        } catch (ErrnoException | RuntimeException e) {
            return false;
        }
    }

    /** Removes a peer and tells the rest; peers that fail to take that news are dropped in turn. */
    private void drop(Peer first) {
        Deque<Peer> todo = new ArrayDeque<>();
        todo.add(first);
        while (!todo.isEmpty()) {
            Peer p = todo.poll();
            if (peers.remove(p.id) != p) continue;
            peerCount = peers.size();
            peersDropped++;
            p.close();
            for (Peer other : peers.values()) {
                boolean ok;
                try {
                    ok = IvshmemProtocol.send(other.socket, p.id, null);
                } catch (ErrnoException | RuntimeException e) {
                    ok = false;
                }
                if (!ok) todo.add(other);
            }
            log.info("ivshmem peer {} left", p.id);
            host.onPeerLeft(p.id);
        }
    }

    private void cleanup() {
        for (Peer p : List.copyOf(peers.values())) p.close();
        peers.clear();
        peerCount = 0;
        for (Fd f : hostVectors) f.close();
        listener.close();
        try { Libc.unlinkIfExists(path); } catch (ErrnoException e) { log.debug("unlink {}: {}", path, e.getMessage()); }
        if (host instanceof AutoCloseable c) {
            try { c.close(); } catch (Exception e) { log.warn("host device close: {}", e.getMessage()); }
        }
        region.close(); // the loop is closed by the LoopThread after this
    }

    /** Stops serving, closes every peer and unmaps the region; returns when the loop has ended. */
    @Override
    public void close() {
        thread.close();
    }

    public boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return thread.awaitStop(timeout, unit);
    }
}
