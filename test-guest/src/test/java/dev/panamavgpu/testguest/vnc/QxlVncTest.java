package dev.panamavgpu.testguest.vnc;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.ivshmem.IvshmemServer;
import dev.panamavgpu.memory.MemoryLimits;
import dev.panamavgpu.memory.MemoryManager;
import dev.panamavgpu.qxl.QxlConfig;
import dev.panamavgpu.qxl.QxlDevice;
import dev.panamavgpu.testguest.qxl.QxlGuest;
import dev.panamavgpu.input.InputSink;
import dev.panamavgpu.testguest.vncbench.RfbViewer;
import dev.panamavgpu.vnc.ScreenHub;
import dev.panamavgpu.vnc.VncAddress;
import dev.panamavgpu.vnc.VncConfig;
import dev.panamavgpu.vnc.VncServer;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** With --ivshmem-socket alone, viewers see the QXL primary surface: its size, its drawing, exactly. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QxlVncTest {
    /** What a test gets: the device, the hub watching its primary, a guest driving it, the VNC server's socket. */
    interface Body {
        void run(QxlDevice device, ScreenHub hub, QxlGuest g, UnixDomainSocketAddress vnc) throws Exception;
    }

    /** A QXL device on an ivshmem server in this JVM, watched by a VNC server on a unix socket (security None). */
    static void withQxlAndVnc(String name, Body body) throws Exception {
        String base = "/tmp/pvgpu-" + name + "-" + ProcessHandle.current().pid();
        MemoryManager memory = new MemoryManager(new MemoryLimits(64 << 20, 64 << 20, Path.of("/var/tmp")));
        IvshmemServer server = IvshmemServer.listen(base + ".sock", 0600, 16 << 20, 2, 8);
        try {
            QxlDevice device = server.attach(s -> new QxlDevice(s, QxlConfig.defaults(memory)));
            ScreenHub hub = new ScreenHub(server.loop(), 0, VncConfig.DEFAULT_MAX_COPY);
            device.watch(hub);
            VncConfig c = VncConfig.of(new VncAddress.Unix(Path.of(base + ".vnc")), null, true);
            try (VncServer vnc = VncServer.bind(c, hub, InputSink.NONE)) {
                server.start();
                vnc.start();
                try (QxlGuest g = QxlGuest.connect(base + ".sock")) {
                    g.setup();
                    body.run(device, hub, g, UnixDomainSocketAddress.of(base + ".vnc"));
                }
            }
        } finally {
            server.close();
            memory.close();
        }
    }

    @Test
    void aViewerSeesWhatTheQxlGuestDrewOnItsPrimary() throws Exception {
        withQxlAndVnc("qxlvnc", (device, hub, g, vnc) -> {
            assertEquals(0, g.createPrimary(200, 120, false));
            int[] p = new int[50 * 30];
            for (int i = 0; i < p.length; i++) p[i] = VncViewerTest.picture(i % 50, i / 50, 8);
            g.fill(0, 0, 0, 200, 120, 0x00204060, null);
            g.copyBitmap(0, 30, 40, 50, 30, p, 0, false);
            assertEquals(0, g.updateArea(0, 0, 0, 200, 120));
            try (RfbViewer v = RfbViewer.connect(vnc).handshake(8, null)) {
                assertEquals(200, v.width(), "the primary's size in ServerInit");
                v.setEncodings(7, -223).requestAll(false);
                assertEquals(0, VncViewerTest.awaitPicture(v, 200, 120, (x, y) ->
                        x >= 30 && x < 80 && y >= 40 && y < 70 ? VncViewerTest.picture(x - 30, y - 40, 8) : 0x204060));
                // a new primary of another size: the viewer is resized and sees it
                g.io(QxlGuest.IO_DESTROY_PRIMARY, 0);
                assertEquals(0, g.createPrimary(320, 200, false));
                g.fill(0, 0, 0, 320, 200, 0x00aa5500, null);
                assertEquals(0, g.updateArea(0, 0, 0, 320, 200));
                v.requestAll(true);
                assertEquals(0, VncViewerTest.awaitPicture(v, 320, 200, (x, y) -> 0xaa5500));
                assertTrue(v.desktopSizes() > 0);
            }
        });
    }

    /**
     * COPY_BITS on the primary reaches a CopyRect viewer as CopyRects, a chain and an overlapping scroll
     * included, and its picture afterwards equals the device's primary exactly.
     */
    @Test
    void copyBitsReachesAViewerAsCopyRectsAndThePictureStaysExact() throws Exception {
        withQxlAndVnc("qxlcopy", (device, hub, g, vnc) -> {
            assertEquals(0, g.createPrimary(200, 120, false));
            int[] p = new int[200 * 120];
            for (int i = 0; i < p.length; i++) p[i] = VncViewerTest.picture(i % 200, i / 200, 8) ^ (i * 7919 & 0xff);
            g.copyBitmap(0, 0, 0, 200, 120, p, 0, false);
            assertEquals(0, g.updateArea(0, 0, 0, 200, 120));
            try (RfbViewer v = RfbViewer.connect(vnc).handshake(8, null)) {
                v.setEncodings(RfbViewer.COPY_RECT, RfbViewer.TIGHT, RfbViewer.DESKTOP_SIZE).requestAll(false);
                assertEquals(0, VncViewerTest.awaitPicture(v, 200, 120, (x, y) -> p[y * 200 + x] & 0xffffff));
                v.requestAll(true);
                g.copyBits(0, 120, 10, 40, 30, 10, 10, null);   // A -> B
                g.copyBits(0, 120, 70, 40, 30, 120, 10, null);  // B -> C: a chain
                g.copyBits(0, 0, 0, 200, 110, 0, 10, null);     // an overlapping scroll up by 10 rows
                assertEquals(0, g.updateArea(0, 0, 0, 200, 120));
                QxlDevice.Snapshot snap = device.snapshotPrimary().get(10, TimeUnit.SECONDS);
                IntBuffer px = ByteBuffer.wrap(snap.xrgb()).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
                assertNotEquals(p[0] & 0xffffff, px.get(0) & 0xffffff, "the scroll changed the picture");
                assertEquals(0, VncViewerTest.awaitPicture(v, 200, 120, (x, y) -> px.get(y * 200 + x) & 0xffffff),
                        "the viewer's picture equals the primary");
                assertEquals(3, v.copyRects(), "each COPY_BITS went out as a CopyRect: " + v.encodingsSeen());
                assertEquals(3, hub.figures().copyRects());
            }
        });
    }
}
