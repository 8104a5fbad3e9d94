package dev.panamavgpu.vhostuser;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.vhostuser.backend.VhostUserServer;
import dev.panamavgpu.vhostuser.frontend.FrontendConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A back-end server with loopback devices on a fresh socket path. */
final class ServerFixture implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();
    final String path = "/tmp/pvgpu-vu-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet() + ".sock";
    final List<LoopbackDevice> devices = new ArrayList<>();
    final VhostUserServer server;

    ServerFixture() throws ErrnoException {
        server = VhostUserServer.listen(path, 0600, () -> {
            LoopbackDevice d = new LoopbackDevice();
            synchronized (devices) { devices.add(d); }
            return d;
        }).start();
    }

    FrontendConnection connect() throws ErrnoException { return FrontendConnection.connect(path); }

    LoopbackDevice lastDevice() {
        synchronized (devices) { return devices.getLast(); }
    }

    /** Waits until the server has accepted {@code n} connections in all (connect() returns before that). */
    void awaitServed(long n) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.connectionsServed() < n && System.nanoTime() < deadline) Thread.sleep(2);
    }

    void awaitIdle() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (server.hasActiveConnection() && System.nanoTime() < deadline) Thread.sleep(2);
    }

    @Override
    public void close() { server.close(); }
}
