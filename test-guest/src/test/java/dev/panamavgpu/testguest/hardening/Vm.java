package dev.panamavgpu.testguest.hardening;

import static dev.panamavgpu.testguest.driver.Commands.RESP_OK_NODATA;
import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.testguest.driver.Backing;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.qemu.QemuDisplayPeer;
import dev.panamavgpu.vhostuser.frontend.DeviceSession;
import dev.panamavgpu.vhostuser.frontend.FrontendConnection;

/**
 * One VM as the back-end sees it: QEMU's vhost-user session (control queue 64, cursor queue 16),
 * the guest driver on it and QEMU's end of the GPU socket.
 */
final class Vm implements AutoCloseable {
    static final int BGRX = 2;

    final DeviceSession session;
    final GpuDriver gpu;
    QemuDisplayPeer peer;

    private Vm(DeviceSession session) {
        this.session = session;
        this.gpu = new GpuDriver(session);
    }

    static Vm connect(String path) throws Exception {
        return connect(path, 64L << 20);
    }

    static Vm connect(String path, long ramBytes) throws Exception {
        DeviceSession s = DeviceSession.open(FrontendConnection.connect(path), DeviceSession.Options.of(64, 16).withRam(ramBytes));
        Vm vm = new Vm(s);
        try {
            vm.attachPeer();
        } catch (Exception | Error e) {
            vm.close();
            throw e;
        }
        return vm;
    }

    QemuDisplayPeer attachPeer() throws Exception {
        if (peer != null) peer.close();
        peer = QemuDisplayPeer.attach(session.connection());
        assertTrue(peer.awaitNegotiated(3_000), "no protocol negotiation on the GPU socket: " + peer.events());
        return peer;
    }

    static int pattern(int x, int y, int salt) { return ((x * 3 + salt) & 0xff) | ((y * 7 + salt) & 0xff) << 8 | ((x ^ salt) & 0xff) << 16; }

    static boolean shows(QemuDisplayPeer.Framebuffer f, int w, int h, int salt) {
        if (f.width() != w || f.height() != h) return false;
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) if ((f.pixel(x, y) & 0xFFFFFF) != pattern(x, y, salt)) return false;
        return true;
    }

    /** Resource {@code id} (w×h) with a pattern, shown on scanout 0; returns once QEMU has the whole picture. */
    Backing drawAndShow(long id, int w, int h, int salt) throws Exception {
        Backing b = gpu.createWithBacking(id, BGRX, w, h);
        b.fillPixels(w, h, w * 4L, (x, y) -> pattern(x, y, salt));
        GpuDriver.expect(RESP_OK_NODATA, gpu.transfer(id, 0, 0, w, h), "TRANSFER");
        GpuDriver.expect(RESP_OK_NODATA, gpu.setScanout(0, id, 0, 0, w, h), "SET_SCANOUT");
        GpuDriver.expect(RESP_OK_NODATA, gpu.flush(id, 0, 0, w, h), "FLUSH");
        assertNotNull(peer.awaitFramebuffer(0, f -> shows(f, w, h, salt), 5000), "QEMU never got the picture");
        return b;
    }

    @Override
    public void close() {
        if (peer != null) peer.close();
        session.close();
    }
}
