package dev.panamavgpu.testguest.conformance;

import static dev.panamavgpu.testguest.check.Expect.*;

import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.qemu.QemuDisplayPeer;
import dev.panamavgpu.vhostuser.frontend.DeviceSession;
import dev.panamavgpu.vhostuser.frontend.FrontendConnection;
import dev.panamavgpu.vhostuser.message.Features;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A vhost-user GPU backend listening on a socket, with this process playing QEMU in front of it: a front-end
 * session (control queue of 64, cursor queue of 16, guest RAM as a shared memfd), the guest driver on it, and
 * QEMU's display end on the GPU socket, negotiated. Which backend it is does not matter: the in-JVM device of the
 * unit tests or any backend process.
 */
public final class GpuRig implements AutoCloseable {
    private final DeviceSession session;
    private final GpuDriver gpu;
    private final List<QemuDisplayPeer> peers = new ArrayList<>();
    private final AutoCloseable owner;
    private QemuDisplayPeer peer;

    private GpuRig(DeviceSession session, AutoCloseable owner) {
        this.session = session;
        this.gpu = new GpuDriver(session);
        this.owner = owner;
    }

    /**
     * Connects to the backend at {@code socketPath} and sets it up as {@code setup} says. {@code owner} (may be
     * null) is closed with the rig: the in-JVM server of a unit test, for example.
     */
    public static GpuRig connect(String socketPath, Setup setup, AutoCloseable owner) throws IOException, InterruptedException {
        return over(FrontendConnection.connect(socketPath), setup, owner);
    }

    /** Like {@link #connect}, on a connection already made (it is closed with the rig, or on failure). */
    public static GpuRig over(FrontendConnection connection, Setup setup, AutoCloseable owner) throws IOException, InterruptedException {
        DeviceSession s = DeviceSession.open(connection, DeviceSession.Options.of(64, 16).withRam(setup.ramBytes()));
        GpuRig rig = new GpuRig(s, owner);
        try {
            if (setup.attachDisplay()) rig.attachPeer(setup.display());
            return rig;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            rig.close();
            throw e;
        }
    }

    public GpuDriver gpu() { return gpu; }
    public DeviceSession session() { return session; }

    /** QEMU's end of the current GPU socket (null if none was handed over). */
    public QemuDisplayPeer peer() { return peer; }

    /** A new GPU socket (as QEMU makes on every DRIVER_OK); waits until the back-end negotiated on it. */
    public QemuDisplayPeer attachPeer(QemuDisplayPeer.Config display) throws IOException, InterruptedException {
        QemuDisplayPeer p = QemuDisplayPeer.attach(session.connection(), display);
        peers.add(p);
        peer = p;
        assertTrue(p.awaitNegotiated(3_000), "the back-end did not negotiate protocol features on the new GPU socket; got " + p.events());
        return p;
    }

    public QemuDisplayPeer attachPeer() throws IOException, InterruptedException {
        return attachPeer(QemuDisplayPeer.Config.defaults());
    }

    /**
     * A virtio reset the way QEMU 10 does it: rings stopped, RESET_DEVICE only if the backend offered
     * PROTOCOL_F_RESET_DEVICE (QEMU sends nothing else), rings set up again, the driver forgets its resources.
     * The caller hands over the new GPU socket (QEMU does that at the next DRIVER_OK).
     */
    public void resetDevice() throws IOException {
        session.stopRings();
        if ((session.protocolFeatures() & Features.PROTOCOL_F_RESET_DEVICE) != 0) session.connection().resetDevice();
        session.startRings(false);
        gpu.forgetResources();
    }

    /** No protocol violations on any GPU socket so far and no driver anomalies. */
    public void assertCleanDisplay() {
        for (QemuDisplayPeer p : peers) assertEquals(List.of(), p.violations(), "display protocol violations");
        assertEquals(List.of(), gpu.anomalies(), "virtqueue anomalies");
    }

    @Override
    public void close() {
        for (QemuDisplayPeer p : peers) p.close();
        session.close();
        if (owner != null) {
            try {
                owner.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing " + owner, e);
            }
        }
    }
}
