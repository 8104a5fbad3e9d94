package dev.panamavgpu.testguest.device;

import static dev.panamavgpu.testguest.check.ResponseChecks.*;
import static dev.panamavgpu.testguest.driver.Commands.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.testguest.driver.Backing;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.driver.Response;
import dev.panamavgpu.testguest.qemu.DisplayEvent;
import dev.panamavgpu.testguest.qemu.QemuDisplayPeer;
import dev.panamavgpu.testguest.vm.BackendProcess;
import dev.panamavgpu.vhostuser.frontend.DeviceSession;
import dev.panamavgpu.vhostuser.frontend.FrontendConnection;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults the guest cannot cause but the host or the front-end can, against the backend process as
 * libvirt runs it (issue 15): a page file on a disk that fills up, and guest RAM that the front-end
 * truncates under the backend's mapping. The guest sees error responses, the process lives on, and
 * the next front-end is served with nothing left over.
 */
class FaultContainmentTest {
    private static final long MIB = 1 << 20;
    private static final int SIDE = 512; // 512x512 XRGB = 1 MiB
    private static final int BGRX = 2;
    private static final Path SCRIPT = Path.of("..", "scripts", "panama-vgpu").toAbsolutePath().normalize();

    private static byte[] pattern(int seed) {
        return SeededPixels.square(seed, SIDE);
    }

    private static DeviceSession session(BackendProcess b, long ram) throws IOException {
        return DeviceSession.open(FrontendConnection.connect(b.socketPath().toString()), DeviceSession.Options.of(64, 16).withRam(ram));
    }

    /** Sets resource {@code id} on scanout 0 and compares what QEMU's display gets with {@code want}. */
    private static void assertShows(GpuDriver gpu, QemuDisplayPeer peer, int id, byte[] want) throws Exception {
        int mark = peer.mark();
        assertNoData(gpu.setScanout(0, id, 0, 0, SIDE, SIDE));
        DisplayEvent.Update u = peer.awaitAfter(mark, DisplayEvent.Update.class, e -> e.width() == SIDE && e.height() == SIDE, 5000);
        assertNotNull(u, "no UPDATE for resource " + id);
        byte[] w = want.clone();
        for (int b = 3; b < w.length; b += 4) w[b] = u.data()[b]; // the X byte is undefined
        assertArrayEquals(w, u.data(), "pixels of resource " + id);
        peer.forgetPixelsBefore(peer.mark());
    }

    /** A new front-end after the fault: one resource drawn and shown exactly. */
    private static void nextFrontEndIsServed(BackendProcess backend) throws Exception {
        try (DeviceSession s = session(backend, 16 * MIB)) {
            GpuDriver gpu = new GpuDriver(s);
            QemuDisplayPeer peer = QemuDisplayPeer.attach(s.connection(), QemuDisplayPeer.Config.defaults());
            assertTrue(peer.awaitNegotiated(5000));
            Backing b = gpu.createWithBacking(1, BGRX, SIDE, SIDE);
            b.write(0, pattern(7));
            assertNoData(gpu.transfer(1, 0, 0, SIDE, SIDE));
            assertShows(gpu, peer, 1, pattern(7));
            peer.close();
        }
    }

    @Test
    void aPageDirThatFillsUpGivesErrorResponsesNeverADeadQueueAndLosesNothing(@TempDir Path tmp) throws Exception {
        Path tiny = Files.createDirectories(tmp.resolve("tiny"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", tiny.toString()).inheritIO().start();
        if (!mount.waitFor(10, TimeUnit.SECONDS) || mount.exitValue() != 0) fail("cannot mount a tmpfs (the suite runs as root in CI)");
        Path socket = Path.of("/tmp", "pvgpu-pagefault-" + ProcessHandle.current().pid() + ".sock");
        try (BackendProcess backend = BackendProcess.start(List.of(SCRIPT.toString(), "--max-resident=8M", "--max-total=1G",
                "--page-dir=" + tiny), socket, tmp.resolve("backend.log"), Duration.ofSeconds(30))) {
            try (DeviceSession s = session(backend, 64 * MIB)) {
                GpuDriver gpu = new GpuDriver(s);
                QemuDisplayPeer peer = QemuDisplayPeer.attach(s.connection(), QemuDisplayPeer.Config.defaults());
                assertTrue(peer.awaitNegotiated(5000));
                Backing backing = gpu.allocBacking(SIDE * SIDE * 4L);
                List<Integer> accepted = new ArrayList<>();
                int refused = 0;
                for (int i = 1; i <= 32; i++) { // 32 MiB against 8 MiB of RAM and 4 MiB of disk
                    backing.write(0, pattern(i));
                    assertNoData(gpu.createResource(i, BGRX, SIDE, SIDE));
                    assertNoData(gpu.attachBacking(i, backing));
                    Response r = gpu.transfer(i, 0, 0, SIDE, SIDE);
                    if (r.isOk()) {
                        accepted.add(i);
                    } else {
                        assertError(RESP_ERR_OUT_OF_MEMORY, r);
                        refused++;
                        assertNoData(gpu.unref(i));
                    }
                }
                assertTrue(refused > 0, "nothing refused: the disk did not fill");
                assertTrue(accepted.size() >= 8, "only " + accepted.size() + " accepted");
                // newest first (they are resident), each unref'd after it was seen, which makes room for the rest
                for (int k = accepted.size() - 1; k >= 0; k--) {
                    int id = accepted.get(k);
                    assertShows(gpu, peer, id, pattern(id));
                    assertNoData(gpu.setScanout(0, 0, 0, 0, 0, 0));
                    assertNoData(gpu.unref(id));
                }
                peer.close();
            }
            assertTrue(backend.isAlive());
            nextFrontEndIsServed(backend);
            String log = Files.readString(backend.logFile());
            assertTrue(log.contains("page file in " + tiny + " failed"), "the episode is logged:\n" + log);
            assertFalse(log.contains("InternalError") || log.contains("Exception"), log);
        } finally {
            new ProcessBuilder("umount", "-l", tiny.toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void guestRamTruncatedBetweenTwoCommandsIsAnErrorAndTheNextFrontEndIsServed(@TempDir Path tmp) throws Exception {
        Path socket = Path.of("/tmp", "pvgpu-ramfault-" + ProcessHandle.current().pid() + ".sock");
        try (BackendProcess backend = BackendProcess.start(List.of(SCRIPT.toString()), socket, tmp.resolve("backend.log"), Duration.ofSeconds(30))) {
            nextFrontEndIsServed(backend); // a first, clean session: what the process keeps open after one is the baseline
            assertEquals(0, guestRamMappings(backend.pid()), "the clean session's RAM is unmapped"); // its close has run
            long fdsBefore = sessionFds(backend.pid(), -1);
            long ram = 16 * MIB;
            try (DeviceSession s = session(backend, ram)) {
                GpuDriver gpu = new GpuDriver(s);
                assertTrue(gpu.getDisplayInfo().isOk()); // the driver's request slots exist from here on
                // the backing at the very end of RAM, the rings and request slots well below it
                long end = s.ram().guestPhysBase() + ram;
                long bytes = SIDE * SIDE * 4L;
                long at = s.ram().alloc(0, 4096);
                s.ram().alloc(end - bytes - at, 4096);
                Backing b = gpu.allocBacking(bytes);
                assertEquals(end - bytes, b.gpa());
                b.write(0, pattern(3));
                assertNoData(gpu.createResource(1, BGRX, SIDE, SIDE));
                assertNoData(gpu.attachBacking(1, b));
                assertNoData(gpu.transfer(1, 0, 0, SIDE, SIDE));
                Libc.ftruncate(s.ram().fd().get(), b.gpa() - s.ram().guestPhysBase()); // the front-end shrinks guest RAM
                assertError(RESP_ERR_UNSPEC, gpu.transfer(1, 0, 0, SIDE, SIDE));
                assertEquals(0x40, s.connection().getStatus() & 0x40, "the device needs a reset");
                assertThrows(SocketTimeoutException.class, () -> gpu.withTimeout(300).getDisplayInfo(), "nothing served until a reset");
            }
            assertTrue(backend.isAlive(), "the backend survived");
            nextFrontEndIsServed(backend);
            assertEquals(0, guestRamMappings(backend.pid()), "guest RAM still mapped");
            assertEquals(fdsBefore, sessionFds(backend.pid(), fdsBefore), "fds of the sessions still open");
            String log = Files.readString(backend.logFile());
            assertTrue(log.contains("guest memory fault"), "logged:\n" + log);
        }
    }

    /** The backend's memfd and eventfd count, waited for (up to 2 s) to reach {@code expected} unless that is -1. */
    private static long sessionFds(long pid, long expected) throws IOException {
        long deadline = System.nanoTime() + 2_000_000_000L; // the backend closes them on its loop thread
        long n;
        do {
            try (Stream<Path> p = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                n = p.map(FaultContainmentTest::target).filter(t -> t.contains("memfd:") || t.contains("eventfd")).count();
            }
        } while (expected >= 0 && n != expected && System.nanoTime() < deadline && sleep());
        return n;
    }

    /** Mappings of guest RAM left in the backend, waited for (up to 2 s) to go. */
    private static long guestRamMappings(long pid) throws IOException {
        long deadline = System.nanoTime() + 2_000_000_000L;
        long n;
        do {
            try (Stream<String> l = Files.lines(Path.of("/proc/" + pid + "/maps"))) { n = l.filter(x -> x.contains("memfd:guest-ram")).count(); }
        } while (n > 0 && System.nanoTime() < deadline && sleep());
        return n;
    }

    private static String target(Path fd) {
        try { return Files.readSymbolicLink(fd).toString(); } catch (IOException e) { return ""; }
    }

    private static boolean sleep() {
        try { Thread.sleep(20); } catch (InterruptedException e) { Thread.currentThread().interrupt(); }
        return true;
    }
}
