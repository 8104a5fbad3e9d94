package dev.panamavgpu.vhostuser.backend;

import dev.panamavgpu.ffm.Epoll;
import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.ffm.UnixSockets;
import dev.panamavgpu.vhostuser.loop.EventLoop;
import dev.panamavgpu.vhostuser.loop.LoopThread;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves front-ends on a unix socket path (or one inherited, connected fd).
 *
 * <p>With one front-end at a time (the default), one platform thread runs the event loop for the
 * listening socket and the active connection; a second front-end that connects while one is active
 * is closed at once without disturbing the first. With up to N ({@link PeerPolicy#maxConnections}
 * &gt; 1) every accepted connection is one VM with a loop thread of its own ("vhost-user-vm-K"):
 * its device, guest memory and display channel live there, so a fault, reset or disconnect of one
 * VM touches no other; the server's own thread only accepts. Peers are admitted by
 * {@link PeerPolicy} (SO_PEERCRED uid). Each connection gets a fresh device from the factory;
 * after a disconnect everything of it is released and the slot is free again.
 */
public final class VhostUserServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VhostUserServer.class);

    /** One served front-end: its number, the loop its device runs on, who it is. */
    public record Peer(long number, EventLoop loop, String who, int pid) {}

    /** Makes the device of each connection on the connection's loop; told when the connection's loop has ended. */
    public interface DeviceFactory {
        VhostUserDevice create(Peer peer);

        /** On the connection's loop thread, after the connection closed (multi-VM mode only). */
        default void ended(Peer peer) {}
    }

    private final EventLoop loop;
    private final LoopThread thread;
    private final DeviceFactory devices;
    private final PeerPolicy policy;
    private final Fd listener;      // null in --fd mode
    private final String path;
    private final Map<Long, Vm> vms = new ConcurrentHashMap<>(); // multi-VM mode: the connected VMs
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>(); // multi-VM mode, this loop only: accepted while all slots were taken
    private volatile BackendConnection active;                    // single mode
    private volatile long connectionsServed;
    private volatile long connectionsRefused;

    /** One VM of many: its loop thread and connection (the connection is touched on that thread only). */
    private record Vm(Peer peer, LoopThread thread) {}

    /** A front-end accepted while every slot was taken: served when one frees within {@link #SLOT_WAIT_MILLIS}, else closed. */
    private record Waiting(Fd fd, EventLoop.Timer timeout) {}

    /**
     * How long a front-end accepted with every slot taken waits for one. A VM that disconnects frees
     * its slot only once its loop thread has released everything, so a front-end that reconnects at
     * once (QEMU after a guest reset of the chardev, a test) would otherwise find it still taken.
     */
    public static final long SLOT_WAIT_MILLIS = 1000;

    private VhostUserServer(Fd listener, String path, Fd inherited, DeviceFactory devices, PeerPolicy policy, String threadName)
            throws ErrnoException {
        this.loop = new EventLoop();
        this.devices = devices;
        this.policy = policy;
        this.listener = listener;
        this.path = path;
        this.thread = new LoopThread(loop, threadName, this::cleanup);
        if (listener != null) loop.watch(listener.get(), Epoll.EPOLLIN, ev -> acceptPending());
        if (inherited != null) loop.execute(() -> serve(inherited, true));
    }

    /** Listens on {@code path} (replacing a stale socket file) with permission bits {@code mode}. */
    public static VhostUserServer listen(String path, int mode, Supplier<VhostUserDevice> devices) throws ErrnoException {
        return listen(path, mode, devices, "vhost-user-loop");
    }

    /** As {@link #listen(String, int, Supplier)}, with the loop thread named {@code threadName} (a second device's server). */
    public static VhostUserServer listen(String path, int mode, Supplier<VhostUserDevice> devices, String threadName)
            throws ErrnoException {
        return listen(path, mode, peer -> devices.get(), PeerPolicy.ONE, threadName);
    }

    /** Listens on {@code path}, admitting front-ends by {@code policy}, each with a device from {@code devices}. */
    public static VhostUserServer listen(String path, int mode, DeviceFactory devices, PeerPolicy policy, String threadName)
            throws ErrnoException {
        Libc.unlinkIfExists(path);
        Fd l = UnixSockets.listen(path, mode, Math.max(4, Math.min(policy.maxConnections(), 64)));
        try {
            return new VhostUserServer(l, path, null, devices, policy, threadName);
        } catch (ErrnoException | RuntimeException e) {
            l.close();
            throw e;
        }
    }

    /** Serves the already connected socket {@code fd} (libvirt's --fd); the server stops when it closes. */
    public static VhostUserServer adopt(Fd fd, Supplier<VhostUserDevice> devices) throws ErrnoException {
        return adopt(fd, peer -> devices.get());
    }

    /** As {@link #adopt(Fd, Supplier)}, the device made from the peer. */
    public static VhostUserServer adopt(Fd fd, DeviceFactory devices) throws ErrnoException {
        Libc.setNonBlocking(fd.get());
        return new VhostUserServer(null, null, fd, devices, PeerPolicy.ONE, "vhost-user-loop");
    }

    public VhostUserServer start() {
        thread.start();
        return this;
    }

    /** Waits until the loop has ended (after {@link #close} or, in --fd mode, a disconnect). */
    public boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return thread.awaitStop(timeout, unit);
    }

    public boolean hasActiveConnection() { return active != null || !vms.isEmpty(); }
    /** Front-ends served now (multi-VM mode: the VMs; single mode: 0 or 1). */
    public int activeConnections() { return active != null ? 1 : vms.size(); }
    /** The VMs served now, multi-VM mode (empty in single mode). */
    public List<Peer> peers() { return vms.values().stream().map(Vm::peer).toList(); }
    public long connectionsServed() { return connectionsServed; }
    public long connectionsRefused() { return connectionsRefused; }
    /** The server's loop: in single mode also the connection's, in multi-VM mode the accepting one. */
    public EventLoop loop() { return loop; }
    /** The loop ended because the fault policy stopped it, not because it was asked to. */
    public boolean stoppedByFault() { return loop.stoppedByFault(); }

    private void acceptPending() {
        while (true) {
            Fd fd;
            try {
                fd = UnixSockets.accept(listener);
            } catch (ErrnoException e) {
                log.warn("accept failed: {}", e.getMessage());
                return;
            }
            if (fd == null) return;
            String refusal = policy.refusal(fd);
            if (refusal == null && policy.maxConnections() > 1 && vms.size() >= policy.maxConnections()) {
                if (waiting.size() < policy.maxConnections()) {
                    waitForSlot(fd);
                    continue;
                }
                refusal = "all " + policy.maxConnections() + " VM slots are taken (--max-vms) and as many front-ends wait";
            }
            if (refusal == null) refusal = roomFor();
            if (refusal != null) {
                connectionsRefused++;
                log.warn("refused a front-end: {}", refusal);
                fd.close();
                continue;
            }
            if (policy.maxConnections() == 1) serve(fd, false);
            else serveVm(fd);
        }
    }

    /** Why no slot is free, or null. */
    private String roomFor() {
        if (policy.maxConnections() == 1) {
            return active != null && active.stillConnected() ? "a second front-end while one is connected" : null;
        }
        return vms.size() >= policy.maxConnections() ? "all " + policy.maxConnections() + " VM slots are taken (--max-vms)" : null;
    }

    private void waitForSlot(Fd fd) {
        Waiting[] self = new Waiting[1];
        self[0] = new Waiting(fd, loop.schedule(SLOT_WAIT_MILLIS, () -> {
            if (!waiting.remove(self[0])) return;
            connectionsRefused++;
            log.warn("refused a front-end: {}", roomFor());
            fd.close();
        }));
        waiting.add(self[0]);
    }

    /** On this loop, after a VM ended: front-ends that waited for a slot get one. */
    private void admitWaiting() {
        while (!waiting.isEmpty() && vms.size() < policy.maxConnections()) {
            Waiting w = waiting.poll();
            w.timeout().cancel();
            serveVm(w.fd());
        }
    }

    /** Single mode: the connection runs on the server's loop. */
    private void serve(Fd fd, boolean stopWhenDone) {
        String who = FrontEndIdentity.identify(fd);
        long n = ++connectionsServed;
        VhostUserDevice device = devices.create(new Peer(n, loop, who, FrontEndIdentity.pid(fd)));
        BackendConnection c = new BackendConnection(loop, fd, device, () -> {
            active = null;
            if (stopWhenDone) loop.stop();
        }, "front-end connection " + n + (who.isEmpty() ? "" : " (" + who + ")"));
        active = c;
        try {
            c.start();
            log.info("front-end connected ({})", who.isEmpty() ? "peer unknown" : who);
        } catch (ErrnoException | RuntimeException e) {
            log.warn("cannot serve the connection: {}", e.getMessage());
            c.close();
        }
    }

    /** Multi-VM mode: the connection gets a loop thread of its own; this thread only hands it over. */
    private void serveVm(Fd fd) {
        String who = FrontEndIdentity.describe(fd); // named on the VM's own thread only: log lines elsewhere are not one VM's
        long n = ++connectionsServed;
        EventLoop vmLoop;
        try {
            vmLoop = new EventLoop();
        } catch (ErrnoException e) {
            log.warn("cannot serve VM {}: {}", n, e.getMessage());
            fd.close();
            return;
        }
        Peer peer = new Peer(n, vmLoop, who, FrontEndIdentity.pid(fd));
        BackendConnection[] conn = new BackendConnection[1]; // touched on the VM's thread only
        LoopThread t = new LoopThread(vmLoop, "vhost-user-vm-" + n, () -> {
            if (conn[0] != null) conn[0].close();
            else fd.close();
            try {
                devices.ended(peer);
            } finally {
                vms.remove(n);
                log.info("VM {} ended ({} served now)", n, vms.size());
                loop.execute(this::admitWaiting);
            }
        });
        vms.put(n, new Vm(peer, t));
        vmLoop.execute(() -> {
            FrontEndIdentity.nameThisThread(who);
            VhostUserDevice device;
            try {
                device = devices.create(peer);
            } catch (RuntimeException e) {
                log.warn("cannot make a device for VM {}: {}", n, e.getMessage());
                vmLoop.stop();
                return;
            }
            BackendConnection c = new BackendConnection(vmLoop, fd, device, vmLoop::stop,
                    "VM " + n + (who.isEmpty() ? "" : " (" + who + ")"));
            conn[0] = c;
            try {
                c.start();
                log.info("VM {} connected ({}), {} served now", n, who.isEmpty() ? "peer unknown" : who, vms.size());
            } catch (ErrnoException | RuntimeException e) {
                log.warn("cannot serve VM {}: {}", n, e.getMessage());
                c.close();
            }
        });
        t.start();
    }

    private void cleanup() {
        BackendConnection c = active;
        if (c != null) c.close();
        for (Waiting w : waiting) w.fd().close();
        waiting.clear();
        for (Vm vm : List.copyOf(vms.values())) vm.thread().close();
        if (listener != null) {
            listener.close();
            try { Libc.unlinkIfExists(path); } catch (ErrnoException e) { log.debug("unlink {}: {}", path, e.getMessage()); }
        }
    }

    /** Stops serving and releases everything (every VM's loop too); safe from any thread, returns once the loop has ended. */
    @Override
    public void close() {
        thread.close();
    }
}
