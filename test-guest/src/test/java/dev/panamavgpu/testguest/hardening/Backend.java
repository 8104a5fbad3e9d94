package dev.panamavgpu.testguest.hardening;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.gpu.device.GpuDevice;
import dev.panamavgpu.gpu.device.GpuLimits;
import dev.panamavgpu.vhostuser.backend.VhostUserServer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Our GPU back-end in this JVM, listening on a temporary socket, with no front-end of its own. */
final class Backend implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();

    final String path = "/tmp/pvgpu-hard-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet() + ".sock";
    final AtomicReference<GpuDevice> device = new AtomicReference<>();
    final VhostUserServer server;

    Backend() throws Exception {
        this(GpuLimits.defaults());
    }

    Backend(GpuLimits limits) throws Exception {
        server = VhostUserServer.listen(path, 0600, () -> {
            GpuDevice d = new GpuDevice(limits);
            device.set(d);
            return d;
        }).start();
    }

    /** Waits until the back-end has let go of its front-end (a fault must be noticed, not waited out forever). */
    void awaitNoFrontend(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (server.hasActiveConnection() && System.nanoTime() < deadline) Thread.sleep(5);
        assertFalse(server.hasActiveConnection(), "the back-end still holds the old front-end after " + timeoutMillis + " ms");
    }

    /** A new VM connects and draws: the back-end is fully usable after whatever happened before. */
    void assertServesANewVm() throws Exception {
        try (Vm vm = Vm.connect(path)) {
            vm.drawAndShow(1, 64, 48, 7);
        }
    }

    @Override
    public void close() { server.close(); }
}
