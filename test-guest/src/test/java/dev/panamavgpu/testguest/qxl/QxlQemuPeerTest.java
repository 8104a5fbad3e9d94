package dev.panamavgpu.testguest.qxl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.panamavgpu.ivshmem.IvshmemServer;
import dev.panamavgpu.qxl.QxlConfig;
import dev.panamavgpu.qxl.QxlDevice;
import dev.panamavgpu.qxl.QxlStats;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real QEMU 10 {@code -device ivshmem-doorbell,vectors=2} joins our ivshmem server. Nothing is
 * booted: qtest plays the guest CPU (PCI config through 0xcf8/0xcfc, MMIO through BAR0 and BAR2), so
 * the handshake, the shared mapping, the doorbell (QEMU's ioeventfd path under TCG), the IO mailbox
 * and an MSI-X interrupt from the host all go through QEMU's own device model.
 */
class QxlQemuPeerTest {
    private static final long BAR0 = 0xc000_0000L, BAR1 = 0xc000_1000L, BAR2 = 0xd000_0000L;
    private static final long MSI_TARGET = 0x0010_0000L; // guest RAM the MSI-X write lands in

    private static boolean qemuAvailable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "qemu-system-x86_64"))) return true;
        }
        return false;
    }

    @Test
    void qemuIvshmemDoorbellTalksToTheQxlDevice() throws Exception {
        assumeTrue(qemuAvailable(), "qemu-system-x86_64 not installed");
        Path dir = Files.createTempDirectory("pvgpu-qxl-qemu");
        String ivsock = dir.resolve("iv.sock").toString();
        IvshmemServer server = IvshmemServer.listen(ivsock, 0600, 1 << 20, 2, 4);
        QxlDevice device = server.attach(s -> new QxlDevice(s, QxlRig.config(16 << 20)));
        server.start();
        Process qemu = null;
        try (QtestClient qt = new QtestClient(dir.resolve("qtest.sock"))) {
            qemu = new ProcessBuilder(List.of("qemu-system-x86_64", "-machine", "q35", "-accel", "tcg", "-m", "64M",
                    "-nodefaults", "-display", "none", "-S", "-qtest", "unix:" + dir.resolve("qtest.sock"), "-qtest-log", "/dev/null",
                    "-chardev", "socket,id=iv,path=" + ivsock,
                    "-device", "ivshmem-doorbell,chardev=iv,vectors=2,addr=0x5"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("qemu.log").toFile()).start();
            qt.accept();
            IvshmemWait.until(() -> server.peerCount() == 1);

            int dev = 5;
            assertEquals(0x11101af4L, qt.pciRead(dev, 0x00), "ivshmem-doorbell at 00:05.0");
            qt.pciWrite(dev, 0x10, BAR0);
            qt.pciWrite(dev, 0x14, BAR1);
            qt.pciWrite(dev, 0x18, BAR2);
            qt.pciWrite(dev, 0x1c, 0);
            qt.pciWrite(dev, 0x04, 0x6); // memory space + bus master
            long ivPosition = qt.readl(BAR0 + 8);
            assertEquals(1, ivPosition, "QEMU got peer id 1 from our server");

            // QEMU maps the same memfd: the transport page our device wrote is visible through BAR2
            assertEquals(0x56495851L, qt.readl(BAR2 + QxlGuest.TRANSPORT));
            assertEquals(0x4f525851L, qt.readl(BAR2 + QxlGuest.ROM));
            assertEquals(1 << 20, qt.readl(BAR2 + QxlGuest.TRANSPORT + QxlGuest.T_SHM_SIZE));

            // MSI-X: entry 1 (IO done) writes 0xfeed0001 to MSI_TARGET; enable MSI-X in the capability at 0x40
            qt.writel(BAR1 + 16, MSI_TARGET);
            qt.writel(BAR1 + 16 + 4, 0);
            qt.writel(BAR1 + 16 + 8, 0xfeed0001L);
            qt.writel(BAR1 + 16 + 12, 0); // unmasked
            long cap = qt.pciRead(dev, 0x40);
            assertEquals(0x11, cap & 0xff, "MSI-X capability at 0x40");
            qt.pciWrite(dev, 0x40, cap | (1L << 31));
            qt.writel(MSI_TARGET, 0);

            // an IO through the mailbox, all via QEMU: RESET, then rung on host vector 1
            long t = BAR2 + QxlGuest.TRANSPORT;
            long seq = qt.readl(t + QxlGuest.T_IO_DONE_SEQ) + 1;
            qt.writel(t + QxlGuest.T_GUEST_PEER_ID, ivPosition);
            qt.writel(t + QxlGuest.T_IO_PORT, QxlGuest.IO_RESET);
            qt.writel(t + QxlGuest.T_IO_VAL, 0);
            qt.writel(t + QxlGuest.T_IO_SEQ, seq);
            qt.writel(BAR0 + 12, (0 << 16) | 1); // doorbell: host peer 0, vector 1
            IvshmemWait.until(() -> qt.readl(t + QxlGuest.T_IO_DONE_SEQ) == seq);
            assertEquals(0, qt.readl(t + QxlGuest.T_IO_RESULT));
            // the completion interrupt came back through QEMU's MSI-X
            IvshmemWait.until(() -> qt.readl(MSI_TARGET) == 0xfeed0001L);

            // a memslot and a primary surface, set up through BAR2 and created by the device
            long ram = BAR2 + QxlGuest.RAM;
            qt.writel(ram + QxlGuest.MEM_SLOT, QxlGuest.GUEST);
            qt.writel(ram + QxlGuest.MEM_SLOT + 8, (1 << 20));
            io(qt, t, QxlGuest.IO_MEMSLOT_ADD, 1);
            int gen = (int) (qt.readl(BAR2 + QxlGuest.ROM + 68) & 0xff);
            long c = ram + QxlGuest.CREATE_SURFACE;
            qt.writel(c, 32);
            qt.writel(c + 4, 16);
            qt.writel(c + 8, 128);
            qt.writel(c + 12, QxlGuest.FMT_32_XRGB);
            long mem = QxlGuest.physIn(1, gen, 0x10000);
            qt.writel(c + 32, mem & 0xffffffffL);
            qt.writel(c + 36, mem >>> 32);
            assertEquals(0, io(qt, t, QxlGuest.IO_CREATE_PRIMARY_ASYNC, 0));
            QxlStats s = device.stats().get(5, TimeUnit.SECONDS);
            assertTrue(s.primary());
            assertEquals("NONE", s.bug());

            // QEMU going away is seen as its peer leaving
            qemu.destroy();
            IvshmemWait.until(() -> server.peerCount() == 0);
        } finally {
            if (qemu != null) {
                qemu.destroy();
                qemu.waitFor(10, TimeUnit.SECONDS);
            }
            server.close();
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        }
    }

    private static long io(QtestClient qt, long t, int port, int val) throws Exception {
        long seq = qt.readl(t + QxlGuest.T_IO_DONE_SEQ) + 1;
        qt.writel(t + QxlGuest.T_IO_PORT, port);
        qt.writel(t + QxlGuest.T_IO_VAL, val);
        qt.writel(t + QxlGuest.T_IO_SEQ, seq);
        qt.writel(0xc000_0000L + 12, 1);
        IvshmemWait.until(() -> qt.readl(t + QxlGuest.T_IO_DONE_SEQ) == seq);
        return (int) qt.readl(t + QxlGuest.T_IO_RESULT);
    }
}
