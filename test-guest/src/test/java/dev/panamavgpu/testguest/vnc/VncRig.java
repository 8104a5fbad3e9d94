package dev.panamavgpu.testguest.vnc;

import dev.panamavgpu.gpu.device.GpuDevice;
import dev.panamavgpu.gpu.device.GpuLimits;
import dev.panamavgpu.memory.MemoryLimits;
import dev.panamavgpu.memory.MemoryManager;
import dev.panamavgpu.testguest.conformance.GpuRig;
import dev.panamavgpu.testguest.conformance.Setup;
import dev.panamavgpu.testguest.vncbench.RfbViewer;
import dev.panamavgpu.vhostuser.backend.VhostUserServer;
import dev.panamavgpu.input.InputSink;
import dev.panamavgpu.vnc.ScreenHub;
import dev.panamavgpu.vnc.VncAddress;
import dev.panamavgpu.vnc.VncConfig;
import dev.panamavgpu.vnc.VncServer;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The backend in this JVM as Main wires it with --vnc: a vhost-user GPU whose devices report to a
 * {@link ScreenHub}, a {@link VncServer} reading from it, and a {@link GpuRig} playing QEMU and the guest.
 */
final class VncRig implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();
    final MemoryManager memory = new MemoryManager(MemoryLimits.defaults());
    final VhostUserServer server;
    final ScreenHub hub;
    final VncServer vnc;
    final GpuRig rig;
    final SocketAddress vncAddress;

    /** {@code config} without an address: the rig puts it on a fresh unix socket unless it has one. */
    VncRig(VncConfig config) throws Exception {
        this(config, InputSink.NONE);
    }

    VncRig(VncConfig config, InputSink input) throws Exception {
        String base = "/tmp/pvgpu-vnc-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
        ScreenHub[] h = new ScreenHub[1];
        server = VhostUserServer.listen(base + ".sock", 0600, () -> new GpuDevice(GpuLimits.defaults(), memory, h[0]));
        hub = h[0] = new ScreenHub(server.loop(), config.scanout(), config.maxCopyBytes());
        VncConfig c = config.address() != null ? config : new VncConfig(new VncAddress.Unix(Path.of(base + ".vnc")), config.password(),
                config.allowNone(), config.maxViewers(), config.scanout(), config.stallTimeout(), config.handshakeTimeout(),
                config.maxCopyBytes(), config.name());
        vnc = VncServer.bind(c, hub, input);
        server.start();
        vnc.start();
        vncAddress = c.address() instanceof VncAddress.Unix u ? UnixDomainSocketAddress.of(u.path())
                : new java.net.InetSocketAddress("127.0.0.1", vnc.port());
        rig = GpuRig.connect(base + ".sock", Setup.defaults(), null);
    }

    static VncConfig unixNoAuth() {
        return VncConfig.of(null, null, true);
    }

    RfbViewer viewer() throws Exception {
        return RfbViewer.connect(vncAddress);
    }

    @Override
    public void close() {
        rig.close();
        vnc.close();
        server.close();
        memory.close();
    }
}
