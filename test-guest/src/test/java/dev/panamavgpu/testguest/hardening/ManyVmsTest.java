package dev.panamavgpu.testguest.hardening;

import static dev.panamavgpu.testguest.driver.Commands.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.driver.Response;
import dev.panamavgpu.vhostuser.frontend.FrontendConnection;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One backend process serving 16 VMs at once (--max-vms=16): test-guest sessions drawing and
 * verifying pixels concurrently, one of them misbehaving; a 17th front-end refused.
 */
class ManyVmsTest {
    static final int VMS = 16, ROUNDS = 12;

    @TempDir
    Path dir;

    @Test
    void sixteenVmsAtOnceAreAllExactWhileOneMisbehaves() throws Exception {
        try (ManyVmsBackend backend = new ManyVmsBackend(dir, "--max-vms=16", "--vm-max-total=32M")) {
            CyclicBarrier allConnected = new CyclicBarrier(VMS + 1);
            CyclicBarrier checked = new CyclicBarrier(VMS + 1);
            ExecutorService pool = Executors.newFixedThreadPool(VMS);
            try {
                List<Future<String>> good = new ArrayList<>();
                for (int v = 1; v < VMS; v++) {
                    int vm = v;
                    good.add(pool.submit(() -> {
                        try (Vm m = Vm.connect(backend.path, 8L << 20)) {
                            allConnected.await(30, TimeUnit.SECONDS);
                            checked.await(30, TimeUnit.SECONDS);
                            for (int r = 0; r < ROUNDS; r++) {
                                m.drawAndShow(r + 1, 64 + vm, 48 + r, vm * 100 + r); // exact: every pixel compared
                                GpuDriver.expect(RESP_OK_NODATA, m.gpu.unref(r + 1), "UNREF");
                            }
                        }
                        return "ok";
                    }));
                }
                Future<String> bad = pool.submit(() -> {
                    try (Vm m = Vm.connect(backend.path, 8L << 20)) {
                        allConnected.await(30, TimeUnit.SECONDS);
                        checked.await(30, TimeUnit.SECONDS);
                        // bad input: a command too short to have a header, an unknown command, a protocol message nobody knows
                        assertTrue(m.gpu.raw(new byte[] {1, 2, 3}).type() >= RESP_ERR_UNSPEC);
                        assertTrue(m.gpu.raw(Commands_unknown()).type() >= RESP_ERR_UNSPEC);
                        m.session.connection().send(9999, 0x1, MemorySegment.ofArray(new byte[0]));
                        // flood: creates until ERR_OUT_OF_MEMORY (--vm-max-total 32M)
                        int made = 0;
                        while (true) {
                            Response r = m.gpu.createResource(1000 + made, Vm.BGRX, 512, 512); // 1 MiB each
                            if (r.type() == RESP_ERR_OUT_OF_MEMORY) break;
                            GpuDriver.expect(RESP_OK_NODATA, r, "flood CREATE_2D");
                            assertTrue(++made <= 32, "never refused");
                        }
                        assertEquals(32, made, "refused exactly at its cap");
                        // and gone in the middle of a command
                        GpuDriver.expect(RESP_OK_NODATA, m.gpu.unref(1000), "UNREF");
                        m.gpu.createWithBacking(1, Vm.BGRX, 256, 256);
                        m.gpu.submitTransfer(1, 0, 0, 256, 256);
                    }
                    return "flooded and left";
                });
                allConnected.await(60, TimeUnit.SECONDS);
                backend.awaitVms(VMS, 5000);
                // a 17th front-end is closed at once
                try (FrontendConnection extra = FrontendConnection.connect(backend.path)) {
                    extra.setReplyTimeoutMillis(3000);
                    assertThrows(IOException.class, extra::getFeatures);
                }
                assertEquals(1, backend.stat("vms_refused"));
                // the figures name every VM by its peer's pid (this JVM plays all 16); the command line
                // is not readable under the sandbox (Landlock: /proc of our own pid only), see below
                var figures = backend.stats();
                long listed = figures.keySet().stream().filter(k -> k.matches("vm\\.\\d+\\.pid")).count();
                assertEquals(VMS, listed, "VMs in the figures");
                figures.forEach((k, v) -> {
                    if (k.endsWith(".pid")) assertEquals(Long.toString(ProcessHandle.current().pid()), v, k);
                    if (k.endsWith(".command_line")) assertEquals("unknown", v, k);
                });
                for (String name : List.of("resident_bytes", "pinned_bytes", "pageable_bytes", "queued_display_bytes", "evictions", "refusals"))
                    assertTrue(figures.containsKey("vm.1." + name) && figures.containsKey(name), name);
                checked.await(30, TimeUnit.SECONDS);
                assertEquals("flooded and left", bad.get(120, TimeUnit.SECONDS));
                for (Future<String> f : good) assertEquals("ok", f.get(120, TimeUnit.SECONDS));
            } finally {
                pool.shutdownNow();
            }
            backend.awaitVms(0, 5000);
            assertEquals(VMS, backend.stat("vms_served"));
            assertEquals(0, backend.stat("host_total_bytes"), "every VM's charges released");
            assertTrue(backend.process.isAlive());
            String log = backend.log();
            assertTrue(log.contains("all 16 VM slots are taken"), log);
        }
    }

    @Test
    void withoutTheSandboxTheFiguresGiveEachPeersCommandLine() throws Exception {
        try (ManyVmsBackend backend = new ManyVmsBackend(dir, "--max-vms=2", "--sandbox=off");
             Vm vm = Vm.connect(backend.path, 8L << 20)) {
            backend.awaitVms(1, 5000);
            var figures = backend.stats();
            assertEquals(Long.toString(ProcessHandle.current().pid()), figures.get("vm.1.pid"));
            String own = String.join(" ", ProcessHandle.current().info().arguments().map(java.util.Arrays::asList).orElse(List.of()));
            String line = figures.get("vm.1.command_line");
            assertTrue(line.contains("java") && line.length() > 10, line);
            assertTrue(own.isEmpty() || line.contains(own.split(" ")[0]), line + " vs " + own);
        }
    }

    private static byte[] Commands_unknown() {
        byte[] b = new byte[24];
        b[0] = 0x7f; // type 0x7f: no such command
        return b;
    }
}
