package dev.panamavgpu.testguest.hardening;

import static dev.panamavgpu.testguest.driver.Commands.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.ffm.UnixSockets;
import dev.panamavgpu.testguest.driver.Backing;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.driver.Response;
import dev.panamavgpu.testguest.qemu.DisplayEvent;
import dev.panamavgpu.testguest.qemu.QemuDisplayPeer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The front-end or QEMU's display end fails in the middle of things. In every case: the back-end
 * notices at once (no hang), leaves no thread behind, and serves the next VM.
 */
class FaultTest {

    /** Runs {@code fault} against a back-end with one VM drawing, then checks the three promises. */
    private static void afterFault(FaultScenario fault) throws Exception {
        try (Backend backend = new Backend()) {
            ThreadCheck threads = ThreadCheck.now();
            Vm vm = Vm.connect(backend.path);
            try {
                vm.drawAndShow(1, 64, 48, 1);
                fault.run(backend, vm);
            } finally {
                vm.close();
            }
            backend.awaitNoFrontend(3_000);
            threads.assertNoneLeftAfter(3_000);
            backend.assertServesANewVm();
        }
    }

    @FunctionalInterface
    interface FaultScenario {
        void run(Backend backend, Vm vm) throws Exception;
    }

    @Test
    void frontendClosesTheSocketInTheMiddleOfAMessage() throws Exception {
        afterFault((backend, vm) -> {
            // the first 20 bytes of SET_VRING_ADDR (header + part of the payload), then the socket goes
            MemorySegment half = java.lang.foreign.Arena.global().allocate(20);
            half.set(java.lang.foreign.ValueLayout.JAVA_INT, 0, 9);
            half.set(java.lang.foreign.ValueLayout.JAVA_INT, 4, 1);
            half.set(java.lang.foreign.ValueLayout.JAVA_INT, 8, 40);
            UnixSockets.send(vm.session.connection().socket(), new MemorySegment[] {half}, new int[0]);
            vm.close();
            backend.awaitNoFrontend(3_000);
        });
    }

    @Test
    void frontendClosesTheSocketWhileGpuCommandsAreInFlight() throws Exception {
        afterFault((backend, vm) -> {
            Backing b = vm.gpu.createWithBacking(2, Vm.BGRX, 512, 512);
            b.fill((byte) 0x42);
            for (int i = 0; i < 20; i++) {
                vm.gpu.submitTransfer(2, 0, 0, 512, 512);
                vm.gpu.submitFlush(1, 0, 0, 64, 48);
            }
            vm.gpu.submitGetDisplayInfo();
            vm.close(); // without waiting for a single answer
        });
    }

    @Test
    void frontendClosesTheSocketBetweenMessages() throws Exception {
        afterFault((backend, vm) -> {
            assertNotEquals(0, vm.session.connection().getFeatures());
            vm.close();
        });
    }

    @Test
    void frontendClosesTheSocketWhileADisplayUpdateIsQueued() throws Exception {
        afterFault((backend, vm) -> {
            Backing b = vm.gpu.createWithBacking(3, Vm.BGRX, 1280, 800);
            GpuDriver.expect(RESP_OK_NODATA, vm.gpu.setScanout(0, 3, 0, 0, 1280, 800), "SET_SCANOUT");
            QemuDisplayPeer peer = vm.peer;
            peer.pause(); // QEMU stops reading: 4 MB UPDATEs wait in the back-end
            for (int i = 0; i < 10; i++) {
                b.fill((byte) i);
                GpuDriver.expect(RESP_OK_NODATA, vm.gpu.transfer(3, 0, 0, 1280, 800), "TRANSFER");
                GpuDriver.expect(RESP_OK_NODATA, vm.gpu.flush(3, 0, 0, 1280, 800), "FLUSH");
            }
            vm.session.close(); // the front-end goes; QEMU's GPU end is still open but not reading
            backend.awaitNoFrontend(3_000);
            peer.resume();
            assertTrue(peer.awaitEof(5_000), "the back-end closed its end of the GPU socket");
        });
    }

    @Test
    void frontendProcessKilledMidRun() throws Exception {
        try (Backend backend = new Backend()) {
            ThreadCheck threads = ThreadCheck.now();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error",
                    "-cp", System.getProperty("java.class.path"), FrontendProcess.class.getName(), backend.path)
                    .redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                List<String> lines = new ArrayList<>();
                String line;
                while ((line = out.readLine()) != null && !line.equals("drawing")) lines.add(line);
                assertEquals("drawing", line, "the front-end process did not get to draw: " + lines);
                Thread.sleep(300); // mid-run: transfers and flushes are in flight
                assertTrue(backend.server.hasActiveConnection());
                child.destroyForcibly(); // SIGKILL
                assertTrue(child.waitFor(10, TimeUnit.SECONDS));
                assertEquals(137, child.exitValue(), "killed by SIGKILL");
            } finally {
                child.destroyForcibly();
            }
            backend.awaitNoFrontend(3_000);
            threads.assertNoneLeftAfter(3_000);
            backend.assertServesANewVm();
        }
    }

    @Test
    void gpuSocketClosedByQemu() throws Exception {
        afterFault((backend, vm) -> {
            vm.peer.close();
            // the guest goes on: commands that would talk to QEMU answer at once, nothing hangs
            long t0 = System.nanoTime();
            GpuDriver.expect(RESP_OK_NODATA, vm.gpu.transfer(1, 0, 0, 64, 48), "TRANSFER");
            GpuDriver.expect(RESP_OK_NODATA, vm.gpu.flush(1, 0, 0, 64, 48), "FLUSH");
            GpuDriver.expect(RESP_OK_NODATA, vm.gpu.moveCursor(0, 5, 5, 0), "MOVE_CURSOR");
            GpuDriver.expect(RESP_OK_DISPLAY_INFO, vm.gpu.getDisplayInfo(), "GET_DISPLAY_INFO");
            Response edid = vm.gpu.getEdid(0);
            assertTrue(edid.isError(), "no EDID without a GPU socket: " + edid);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 900, "commands took " + ms + " ms without a GPU socket (a reply was waited for)");
            // QEMU comes back with a new GPU socket and gets the picture again
            QemuDisplayPeer fresh = vm.attachPeer();
            assertNotNull(fresh.awaitFramebuffer(0, f -> Vm.shows(f, 64, 48, 1), 5000));
            vm.close();
        });
    }

    @Test
    void gpuSocketNotReadForTenSeconds() throws Exception {
        afterFault((backend, vm) -> {
            Backing b = vm.gpu.createWithBacking(4, Vm.BGRX, 640, 480);
            GpuDriver.expect(RESP_OK_NODATA, vm.gpu.setScanout(0, 4, 0, 0, 640, 480), "SET_SCANOUT");
            int mark = vm.peer.mark();
            vm.peer.pause();
            long end = System.nanoTime() + 10_000_000_000L, worst = 0;
            int salt = 10, rounds = 0;
            while (System.nanoTime() < end) {
                int s = ++salt;
                b.fillPixels(640, 480, 640 * 4L, (x, y) -> Vm.pattern(x, y, s));
                for (Response r : List.of(vm.gpu.transfer(4, 0, 0, 640, 480), vm.gpu.flush(4, 0, 0, 640, 480),
                        vm.gpu.moveCursor(0, salt % 640, 10, 0))) {
                    GpuDriver.expect(RESP_OK_NODATA, r, "command while QEMU does not read");
                    worst = Math.max(worst, r.elapsedNanos());
                }
                if (rounds++ % 20 == 0) assertNotEquals(0, vm.session.connection().getFeatures(), "vhost-user answers");
            }
            assertTrue(worst < 500_000_000L, "a command took " + worst / 1_000_000 + " ms while QEMU did not read");
            assertTrue(rounds > 20, "only " + rounds + " rounds in 10 s");
            vm.peer.resume();
            int last = salt;
            assertNotNull(vm.peer.awaitFramebuffer(0, f -> Vm.shows(f, 640, 480, last), 10_000), "QEMU gets the newest picture");
            long updates = vm.peer.eventsSince(mark).stream().filter(e -> e instanceof DisplayEvent.Update).count();
            assertTrue(updates < rounds, updates + " UPDATEs for " + rounds + " flushes: damage is merged while QEMU does not read");
            vm.close();
        });
    }
}
