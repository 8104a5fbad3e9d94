package dev.panamavgpu.testguest.device;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.gpu.device.GpuDevice;
import dev.panamavgpu.gpu.device.GpuLimits;
import dev.panamavgpu.memory.MemoryLimits;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.driver.Response;
import dev.panamavgpu.testguest.qemu.QemuDisplayPeer;
import dev.panamavgpu.vhostuser.backend.VhostUserServer;
import dev.panamavgpu.vhostuser.frontend.DeviceSession;
import dev.panamavgpu.vhostuser.frontend.FrontendConnection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Our {@link GpuDevice} in this JVM behind {@link VhostUserServer} on a temporary socket, a front-end session
 * playing QEMU (control queue of 64, cursor queue of 16), the guest driver on it, and QEMU's display end on the
 * GPU socket, negotiated.
 */
final class GpuRig implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();

    final String path = "/tmp/pvgpu-tg-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet() + ".sock";
    final AtomicReference<GpuDevice> device = new AtomicReference<>();
    final VhostUserServer server;
    final DeviceSession session;
    final GpuDriver gpu;
    private final List<QemuDisplayPeer> peers = new ArrayList<>();
    QemuDisplayPeer peer;

    private GpuRig(GpuLimits limits, MemoryLimits memory, QemuDisplayPeer.Config display, boolean attachDisplay) throws Exception {
        server = VhostUserServer.listen(path, 0600, () -> {
            GpuDevice d = new GpuDevice(limits, memory);
            device.set(d);
            return d;
        }).start();
        DeviceSession s = null;
        try {
            s = DeviceSession.open(FrontendConnection.connect(path), DeviceSession.Options.of(64, 16));
            session = s;
            gpu = new GpuDriver(s);
            if (attachDisplay) attachPeer(display);
        } catch (Exception | Error e) {
            if (s != null) s.close();
            server.close();
            throw e;
        }
    }

    static GpuRig start() throws Exception {
        return new GpuRig(GpuLimits.defaults(), MemoryLimits.defaults(), QemuDisplayPeer.Config.defaults(), true);
    }

    static GpuRig start(GpuLimits limits) throws Exception {
        return new GpuRig(limits, MemoryLimits.defaults(), QemuDisplayPeer.Config.defaults(), true);
    }

    static GpuRig start(MemoryLimits memory) throws Exception {
        return new GpuRig(GpuLimits.defaults(), memory, QemuDisplayPeer.Config.defaults(), true);
    }

    static GpuRig start(MemoryLimits memory, QemuDisplayPeer.Config display) throws Exception {
        return new GpuRig(GpuLimits.defaults(), memory, display, true);
    }

    static GpuRig start(QemuDisplayPeer.Config display) throws Exception {
        return new GpuRig(GpuLimits.defaults(), MemoryLimits.defaults(), display, true);
    }

    static GpuRig withoutDisplay() throws Exception {
        return new GpuRig(GpuLimits.defaults(), MemoryLimits.defaults(), QemuDisplayPeer.Config.defaults(), false);
    }

    /** A new GPU socket (as QEMU makes on every DRIVER_OK); waits until the back-end negotiated on it. */
    QemuDisplayPeer attachPeer(QemuDisplayPeer.Config display) throws IOException, InterruptedException {
        QemuDisplayPeer p = QemuDisplayPeer.attach(session.connection(), display);
        peers.add(p);
        peer = p;
        assertTrue(p.awaitNegotiated(3_000), "the back-end did not negotiate protocol features on the new GPU socket; got " + p.events());
        return p;
    }

    QemuDisplayPeer attachPeer() throws IOException, InterruptedException {
        return attachPeer(QemuDisplayPeer.Config.defaults());
    }

    /** No protocol violations on any GPU socket so far and no driver anomalies. */
    void assertCleanDisplay() {
        for (QemuDisplayPeer p : peers) assertEquals(List.of(), p.violations(), "display protocol violations");
        assertEquals(List.of(), gpu.anomalies(), "virtqueue anomalies");
    }

    @Override
    public void close() {
        for (QemuDisplayPeer p : peers) p.close();
        session.close();
        server.close();
    }

    // ---------------------------------------------------------------------------------------------------------
    // response checks shared by the tests

    /**
     * Asserts a complete, clean response: {@code type}, exactly {@code size} bytes used, the header echo rules
     * for {@code sent} (unfenced: flags/fence/ctx/ring all zero), zero header padding, and nothing written past
     * the used length (the rest of the buffer still holds the 0xAA fill).
     */
    static Response assertResponse(int type, int size, Response r, dev.panamavgpu.testguest.driver.Hdr sent) {
        assertEquals(size, r.usedLength(), () -> "used length of " + r);
        assertEquals(hex(type), hex(r.type()), () -> "response type (" + typeName(type) + " expected, got " + typeName(r.type()) + ")");
        if (sent.fenced()) {
            int expectFlags = 1 | (sent.flags() & 2);
            assertEquals(expectFlags, r.flags(), "response flags for a fenced request");
            assertEquals(sent.fenceId(), r.fenceId(), "fence_id echo");
            assertEquals(sent.ctxId(), r.ctxId(), "ctx_id echo");
            assertEquals((sent.flags() & 2) != 0 ? sent.ringIdx() : 0, r.ringIdx(), "ring_idx echo");
        } else {
            assertEquals(0, r.flags(), "response flags for an unfenced request");
            assertEquals(0, r.fenceId(), "fence_id of an unfenced response");
            assertEquals(0, r.ctxId(), "ctx_id of an unfenced response");
            assertEquals(0, r.ringIdx(), "ring_idx of an unfenced response");
        }
        assertArrayEquals(new byte[3], r.headerPadding(), "ctrl_hdr padding must be zero");
        assertUntouchedAfter(r, r.usedLength());
        return r;
    }

    static Response assertResponse(int type, int size, Response r) {
        return assertResponse(type, size, r, dev.panamavgpu.testguest.driver.Hdr.NONE);
    }

    static Response assertNoData(Response r) {
        return assertResponse(dev.panamavgpu.testguest.driver.Commands.RESP_OK_NODATA, 24, r);
    }

    static Response assertError(int type, Response r) {
        return assertResponse(type, 24, r);
    }

    /** The device wrote nothing at all: used length 0 and every byte still 0xAA. */
    static void assertEmptyCompletion(Response r) {
        assertEquals(0, r.usedLength(), () -> "used length of " + r);
        assertUntouchedAfter(r, 0);
    }

    static void assertUntouchedAfter(Response r, int from) {
        byte[] b = r.buffer();
        for (int i = from; i < b.length; i++) {
            if (b[i] != GpuDriver.FILL) {
                fail("byte " + i + " of the response buffer was written (0x" + Integer.toHexString(b[i] & 0xff)
                        + ") beyond the used length " + r.usedLength());
            }
        }
    }

    /** Every byte of {@code r}'s written part in [from, to) is zero. */
    static void assertZero(Response r, int from, int to, String what) {
        byte[] b = r.buffer();
        for (int i = from; i < to; i++) {
            if (b[i] != 0) fail(what + ": byte " + i + " is 0x" + Integer.toHexString(b[i] & 0xff) + ", must be 0");
        }
    }

    static String hex(int v) { return "0x" + Integer.toHexString(v); }
    static String typeName(int v) { return dev.panamavgpu.testguest.driver.Commands.name(v); }
}
