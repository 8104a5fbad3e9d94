package dev.panamavgpu.testguest.device;

import static dev.panamavgpu.testguest.check.ResponseChecks.*;
import static dev.panamavgpu.testguest.driver.Commands.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.gpu.device.GpuDevice;
import dev.panamavgpu.gpu.device.GpuFigures;
import dev.panamavgpu.gpu.device.GpuLimits;
import dev.panamavgpu.testguest.conformance.GpuRig;
import dev.panamavgpu.testguest.conformance.Setup;
import dev.panamavgpu.vhostuser.backend.VhostUserServer;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import dev.panamavgpu.memory.MemoryLimits;
import dev.panamavgpu.testguest.driver.Backing;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.qemu.DisplayEvent;
import dev.panamavgpu.testguest.qemu.QemuDisplayPeer;
import dev.panamavgpu.testguest.vm.BackendProcess;
import dev.panamavgpu.vhostuser.frontend.DeviceSession;
import dev.panamavgpu.vhostuser.frontend.FrontendConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory manager's promises (issue "Host memory management"), shown through the guest's interface. */
class MemoryProofTest {
    private static final long MIB = 1 << 20;
    private static final int SIDE = 512; // 512x512 XRGB = 1 MiB
    private static final int BGRX = 2; // B8G8R8X8_UNORM, x8r8g8b8 in memory order

    /** Our device in this JVM, with the handles to read its figures. */
    private record InJvm(GpuRig rig, VhostUserServer server, AtomicReference<GpuDevice> device) implements AutoCloseable {
        static InJvm start(MemoryLimits memory) throws Exception {
            String path = InJvmBackend.socketPath();
            AtomicReference<GpuDevice> device = new AtomicReference<>();
            VhostUserServer server = VhostUserServer.listen(path, 0600, () -> {
                GpuDevice d = new GpuDevice(GpuLimits.defaults(), memory);
                device.set(d);
                return d;
            }).start();
            try {
                return new InJvm(GpuRig.connect(path, Setup.defaults(), server), server, device);
            } catch (Exception | Error e) {
                server.close();
                throw e;
            }
        }

        GpuDriver gpu() { return rig.gpu(); }

        /** The figures, read on the loop thread that owns them. */
        GpuFigures figures() throws Exception {
            CompletableFuture<GpuFigures> f = new CompletableFuture<>();
            server.loop().execute(() -> f.complete(device.get().figures(0)));
            return f.get(5, TimeUnit.SECONDS);
        }

        @Override
        public void close() { rig.close(); }
    }

    private static byte[] pattern(int seed) {
        return SeededPixels.square(seed, SIDE);
    }

    private static long statusKib(long pid, String field) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith(field + ":")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
        }
        throw new AssertionError(field + " missing");
    }

    @Test
    void eightHundredResourcesOfOneMibStayWithinTheResidentBudgetAndReadBackExactly(@TempDir Path tmp) throws Exception {
        Path backendJarScript = Path.of("..", "scripts", "panama-vgpu").toAbsolutePath().normalize();
        Path socket = Path.of("/tmp", "pvgpu-mem-" + ProcessHandle.current().pid() + ".sock");
        try (BackendProcess backend = BackendProcess.start(List.of(backendJarScript.toString(), "--max-resident=64M", "--max-total=1G",
                "--page-dir=" + tmp), socket, tmp.resolve("backend.log"), Duration.ofSeconds(30));
             DeviceSession s = DeviceSession.open(FrontendConnection.connect(socket.toString()), DeviceSession.Options.of(64, 16).withRam(64 * MIB))) {
            GpuDriver gpu = new GpuDriver(s);
            QemuDisplayPeer peer = QemuDisplayPeer.attach(s.connection(), QemuDisplayPeer.Config.defaults());
            assertTrue(peer.awaitNegotiated(5000));
            Backing backing = gpu.allocBacking(SIDE * SIDE * 4L); // one guest buffer, re-filled for each resource
            assertNoData(gpu.createResource(1, BGRX, SIDE, SIDE));
            assertNoData(gpu.attachBacking(1, backing));
            assertNoData(gpu.transfer(1, 0, 0, SIDE, SIDE));
            long baselineKib = statusKib(backend.pid(), "VmRSS"); // set up, one resource resident
            int n = 800;
            for (int i = 2; i <= n; i++) {
                backing.write(0, pattern(i));
                assertNoData(gpu.createResource(i, BGRX, SIDE, SIDE));
                assertNoData(gpu.attachBacking(i, backing));
                assertNoData(gpu.transfer(i, 0, 0, SIDE, SIDE));
            }
            long afterFillHwm = statusKib(backend.pid(), "VmHWM");
            // read every resource back through the display: SET_SCANOUT sends its whole picture
            for (int i = 2; i <= n; i++) {
                int mark = peer.mark();
                assertNoData(gpu.setScanout(0, i, 0, 0, SIDE, SIDE));
                DisplayEvent.Update u = peer.awaitAfter(mark, DisplayEvent.Update.class, e -> e.width() == SIDE && e.height() == SIDE, 5000);
                assertNotNull(u, "no UPDATE for resource " + i);
                byte[] want = pattern(i);
                for (int b = 3; b < want.length; b += 4) want[b] = u.data()[b]; // the X byte is undefined
                assertArrayEquals(want, u.data(), "pixels of resource " + i);
                peer.forgetPixelsBefore(peer.mark()); // keep the test's own memory flat
            }
            long hwmKib = statusKib(backend.pid(), "VmHWM");
            long grownMib = (hwmKib - baselineKib) >> 10;
            // the budget is 64 MiB; the rest is the JVM's own growth while it works (heap, JIT code), bounded by 32 MiB
            assertTrue(grownMib <= 64 + 32, "backend RSS grew by " + grownMib + " MiB over " + (baselineKib >> 10)
                    + " MiB after setup (peak after filling: " + (afterFillHwm >> 10) + " MiB)");
            String stats = Files.readString(backend.logFile());
            assertFalse(stats.contains("Exception"), stats);
            System.out.printf("800 x 1 MiB, --max-resident 64M: RSS after setup %d MiB, peak %d MiB (+%d MiB)%n",
                    baselineKib >> 10, hwmKib >> 10, grownMib);
            peer.close();
        }
    }

    @Test
    void aGuestThatCreatesWithoutEndGetsOutOfMemoryStaysServedAndFiguresReturnAfterUnref() throws Exception {
        try (InJvm rig = InJvm.start(MemoryLimits.defaults().withMaxTotal(64 * MIB).withMaxResident(16 * MIB))) {
            GpuFigures before = rig.figures();
            Backing b = rig.gpu().allocBacking(256 * 256 * 4);
            List<Integer> made = new ArrayList<>();
            int id = 1;
            while (true) {
                var r = rig.gpu().createResource(id, BGRX, 256, 256);
                if (r.type() == RESP_ERR_OUT_OF_MEMORY) break;
                assertNoData(r);
                assertNoData(rig.gpu().attachBacking(id, b));
                assertNoData(rig.gpu().transfer(id, 0, 0, 256, 256)); // resident, then moved out past 16 MiB
                made.add(id++);
                assertTrue(id < 10_000, "never refused");
            }
            assertTrue(made.size() >= 60, "only " + made.size() + " resources of 256 KiB fit 64 MiB");
            GpuFigures full = rig.figures();
            assertTrue(full.memory().resident() <= 16 * MIB, "resident " + full.memory().resident());
            assertTrue(full.memory().pagedOut() > 0);
            assertTrue(full.memory().refusals() > 0);
            // still served: the first resource comes back from the page file with its pixels
            assertNoData(rig.gpu().setScanout(0, made.get(0), 0, 0, 256, 256));
            for (int i : made) assertNoData(rig.gpu().unref(i));
            GpuFigures after = rig.figures();
            assertEquals(before.memory().total(), after.memory().total());
            assertEquals(0, after.memory().pagedOut());
            assertEquals(0, after.resources());
            assertNoData(rig.gpu().createResource(1, BGRX, 256, 256));
        }
    }

    @Test
    void aSlowDisplayReaderNeitherSlowsTheControlQueueNorGrowsTheQueuePastItsBound() throws Exception {
        try (InJvm rig = InJvm.start(MemoryLimits.defaults())) {
            Backing b = rig.gpu().createWithBacking(1, BGRX, 1280, 800);
            assertNoData(rig.gpu().transfer(1, 0, 0, 1280, 800));
            assertNoData(rig.gpu().setScanout(0, 1, 0, 0, 1280, 800));
            long[] fast = new long[3], slow = new long[3];
            long[] maxQueued = {0}, bound = {0};
            Consumer<GpuFigures> sample = f -> {
                maxQueued[0] = Math.max(maxQueued[0], f.queuedDisplayBytes());
                bound[0] = f.displayQueueBound();
            };
            for (int round = 0; round < 3; round++) {
                fast[round] = commandsPerSecond(rig, 400, f -> {}); // the same sampling cost as the slow case
                // the reader takes 10 ms of every 100: a tenth of its speed
                Thread throttle = Thread.ofPlatform().daemon().start(() -> {
                    try {
                        while (!Thread.currentThread().isInterrupted()) {
                            rig.rig().peer().pause();
                            Thread.sleep(90);
                            rig.rig().peer().resume();
                            Thread.sleep(10);
                        }
                    } catch (InterruptedException e) {
                        rig.rig().peer().resume();
                    }
                });
                try {
                    slow[round] = commandsPerSecond(rig, 400, sample);
                } finally {
                    throttle.interrupt();
                    throttle.join();
                    rig.rig().peer().resume();
                }
            }
            Arrays.sort(fast);
            Arrays.sort(slow);
            GpuFigures f = rig.figures();
            System.out.printf("commands/s with a fast reader %d, with a 10x slower one %d; queued display bytes max %d of %d; merges %d%n",
                    fast[1], slow[1], maxQueued[0], bound[0], f.display().damageMerges());
            assertTrue(slow[1] >= fast[1] * 9 / 10, "a slow display reader slowed the control queue: " + slow[1] + " vs " + fast[1] + " commands/s");
            assertTrue(maxQueued[0] <= bound[0], "queued " + maxQueued[0] + " > bound " + bound[0]);
            assertTrue(f.display().damageMerges() > 0, "a slow reader must have made damage merge");
            rig.rig().assertCleanDisplay();
        }
    }

    /** Whole-frame TRANSFER+FLUSH pairs for {@code millis}, the figures sampled every 50 pairs; commands per second. */
    private static long commandsPerSecond(InJvm rig, long millis, Consumer<GpuFigures> sample) throws Exception {
        long t0 = System.nanoTime();
        int done = 0;
        while (System.nanoTime() - t0 < millis * 1_000_000L) {
            for (int k = 0; k < 50; k++) {
                assertNoData(rig.gpu().transfer(1, 0, 0, 1280, 800));
                assertNoData(rig.gpu().flush(1, 0, 0, 1280, 800));
                done += 2;
            }
            sample.accept(rig.figures());
        }
        return done * 1_000_000_000L / (System.nanoTime() - t0);
    }
}
