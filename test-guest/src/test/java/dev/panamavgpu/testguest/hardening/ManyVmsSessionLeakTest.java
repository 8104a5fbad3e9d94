package dev.panamavgpu.testguest.hardening;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 VM sessions through 16 concurrent slots of one backend process (--max-vms=16): each VM gets
 * a loop thread, a device, guest-RAM mappings and a page file of its own, and leaves nothing. After
 * them the process holds exactly the fds, threads and guest-RAM mappings it held before (counted
 * in /proc/PID), and its host budget is back at zero.
 */
class ManyVmsSessionLeakTest {
    static final int SESSIONS = 1000, SLOTS = 16;

    @TempDir
    Path dir;

    @Test
    void thousandSessionsOverSixteenSlotsLeaveNothingBehind() throws Exception {
        try (ManyVmsBackend backend = new ManyVmsBackend(dir, "--max-vms=16", "--max-resident=32M")) {
            run(backend, 48); // warm-up: class loading, JIT, malloc arenas of 16 threads
            backend.awaitVms(0, 5000);
            Thread.sleep(300);
            int fds = backend.fds();
            int threads = backend.threads();
            long ram = backend.mappings("guest-ram");
            long t0 = System.nanoTime();
            run(backend, SESSIONS);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            backend.awaitVms(0, 5000);
            long deadline = System.nanoTime() + 3_000_000_000L;
            while ((backend.threads() != threads || backend.fds() != fds) && System.nanoTime() < deadline) Thread.sleep(20);
            System.out.printf("%d sessions over %d slots in %d ms; fds %d -> %d, threads %d -> %d%n",
                    SESSIONS, SLOTS, ms, fds, backend.fds(), threads, backend.threads());
            assertEquals(fds, backend.fds(), "open fds of the backend");
            assertEquals(threads, backend.threads(), "threads of the backend");
            assertEquals(ram, backend.mappings("guest-ram"), "guest RAM mappings of the backend");
            assertEquals(0, ram, "no VM's guest RAM is mapped between sessions");
            assertEquals(SESSIONS + 48, backend.stat("vms_served"));
            assertEquals(0, backend.stat("vms_refused"));
            assertEquals(0, backend.stat("host_total_bytes"));
            assertEquals(0, backend.stat("host_resident_bytes"));
        }
    }

    /** {@code n} sessions, at most {@link #SLOTS} at once: each connects, draws, shows a cursor, resets, draws again, leaves. */
    private static void run(ManyVmsBackend backend, int n) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(SLOTS);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < SLOTS; t++) {
                fs.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < n) {
                        try (Vm vm = Vm.connect(backend.path, 1 << 20)) {
                            vm.drawAndShow(1, 32, 32, i);
                            vm.session.stopRings();
                            vm.session.connection().resetDevice();
                            vm.session.startRings(false);
                            vm.gpu.forgetResources();
                            vm.attachPeer();
                            vm.drawAndShow(1, 16, 16, i + 1);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get(300, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
    }
}
