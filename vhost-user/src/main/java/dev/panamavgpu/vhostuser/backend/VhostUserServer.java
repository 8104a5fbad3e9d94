package dev.panamavgpu.vhostuser.backend;

import dev.panamavgpu.ffm.Epoll;
import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.ffm.UnixSockets;
import dev.panamavgpu.vhostuser.loop.EventLoop;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one front-end at a time on a unix socket path (or on one inherited, connected fd). One
 * platform thread runs the event loop for the listening socket and the active connection; a
 * second front-end that connects while one is active is closed at once without disturbing the
 * first. Each connection gets a fresh device from the factory; after a disconnect everything of
 * it is released and the next connection is accepted.
 */
public final class VhostUserServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VhostUserServer.class);

    private final EventLoop loop;
    private final Supplier<VhostUserDevice> devices;
    private final Fd listener;      // null in --fd mode
    private final String path;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile BackendConnection active;
    private volatile long connectionsServed;
    private volatile long connectionsRefused;

    private VhostUserServer(Fd listener, String path, Fd inherited, Supplier<VhostUserDevice> devices, String threadName)
            throws ErrnoException {
        this.loop = new EventLoop();
        this.devices = devices;
        this.listener = listener;
        this.path = path;
        this.thread = new Thread(this::runLoop, threadName);
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
        Libc.unlinkIfExists(path);
        Fd l = UnixSockets.listen(path, mode, 4);
        try {
            return new VhostUserServer(l, path, null, devices, threadName);
        } catch (ErrnoException | RuntimeException e) {
            l.close();
            throw e;
        }
    }

    /** Serves the already connected socket {@code fd} (libvirt's --fd); the server stops when it closes. */
    public static VhostUserServer adopt(Fd fd, Supplier<VhostUserDevice> devices) throws ErrnoException {
        Libc.setNonBlocking(fd.get());
        return new VhostUserServer(null, null, fd, devices, "vhost-user-loop");
    }

    public VhostUserServer start() {
        thread.start();
        return this;
    }

    /** Waits until the loop has ended (after {@link #close} or, in --fd mode, a disconnect). */
    public boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }

    public boolean hasActiveConnection() { return active != null; }
    public long connectionsServed() { return connectionsServed; }
    public long connectionsRefused() { return connectionsRefused; }
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
            if (active != null && active.stillConnected()) {
                connectionsRefused++;
                log.warn("refused a second front-end while one is connected");
                fd.close();
                continue;
            }
            serve(fd, false);
        }
    }

    private void serve(Fd fd, boolean stopWhenDone) {
        String who = FrontEndIdentity.identify(fd);
        VhostUserDevice device = devices.get();
        connectionsServed++;
        BackendConnection c = new BackendConnection(loop, fd, device, () -> {
            active = null;
            if (stopWhenDone) loop.stop();
        }, "front-end connection " + connectionsServed + (who.isEmpty() ? "" : " (" + who + ")"));
        active = c;
        try {
            c.start();
            log.info("front-end connected ({})", who.isEmpty() ? "peer unknown" : who);
        } catch (ErrnoException | RuntimeException e) {
            log.warn("cannot serve the connection: {}", e.getMessage());
            c.close();
        }
    }

    private void runLoop() {
        try {
            loop.run();
        } finally {
            BackendConnection c = active;
            if (c != null) c.close();
            if (listener != null) {
                listener.close();
                try { Libc.unlinkIfExists(path); } catch (ErrnoException e) { log.debug("unlink {}: {}", path, e.getMessage()); }
            }
            loop.close();
            stopped.countDown();
        }
    }

    /** Stops serving and releases everything; safe from any thread, returns once the loop has ended. */
    @Override
    public void close() {
        loop.stop();
        if (Thread.currentThread() == thread) return;
        if (!thread.isAlive() && stopped.getCount() > 0) {
            // never started
            new Thread(this::runLoopClosedOnly).run();
            return;
        }
        try {
            if (!stopped.await(10, TimeUnit.SECONDS)) log.warn("event loop did not stop within 10 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void runLoopClosedOnly() {
        if (listener != null) listener.close();
        loop.close();
        stopped.countDown();
    }
}
