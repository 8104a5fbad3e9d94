package dev.panamavgpu.testguest.hardening;

import static dev.panamavgpu.testguest.driver.Commands.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.testguest.driver.Backing;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.driver.Response;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host-wide budget through the guest's interface: 16 VMs x 64 MiB of resources in one process
 * with --max-resident=128M for all of them. Every byte reads back exactly (on QEMU's display), the
 * hot VM keeps its working set resident while the idle ones are paged, the process's anonymous RSS
 * stays within the budget plus the JVM's own growth, and a flooding VM is refused at its cap while
 * every other VM goes on without an error.
 */
class HostBudgetTest {
    static final int VMS = 16, RESOURCES = 16, SIDE = 1024; // 4 MiB each, 64 MiB per VM
    static final int HOT = 4;                               // the hot VM's working set: 16 MiB
    static final long MIB = 1 << 20;
    /** Anonymous RSS allowed above the idle process: the budget plus the JVM's own growth (heap, buffers, 16 threads). */
    static final long RSS_ALLOWANCE = 128 * MIB + 64 * MIB;

    @TempDir
    Path dir;

    static int salt(int vm, int id) { return vm * 37 + id; }

    /** One VM's guest: 16 resources, each filled with its own pattern and transferred. */
    private static final class Guest {
        final int index;
        final Vm vm;
        final Backing shared;
        final List<Backing> own = new ArrayList<>();

        Guest(int index, String path) throws Exception {
            this.index = index;
            vm = Vm.connect(path, (index == 0 ? 24 : 8) * MIB);
            shared = vm.gpu.createWithBacking(RESOURCES, Vm.BGRX, SIDE, SIDE);
            for (int id = 1; id < RESOURCES; id++) {
                if (index == 0 && id <= HOT) {
                    own.add(vm.gpu.createWithBacking(id, Vm.BGRX, SIDE, SIDE)); // the hot set re-transfers from its own pages
                } else {
                    GpuDriver.expect(RESP_OK_NODATA, vm.gpu.createResource(id, Vm.BGRX, SIDE, SIDE), "CREATE_2D");
                    GpuDriver.expect(RESP_OK_NODATA, vm.gpu.attachBacking(id, shared), "ATTACH_BACKING");
                }
            }
        }

        void fill() throws Exception {
            for (int id = 1; id <= RESOURCES; id++) {
                Backing b = index == 0 && id <= HOT ? own.get(id - 1) : shared;
                int s = salt(index, id);
                b.fillPixels(SIDE, SIDE, SIDE * 4L, (x, y) -> Vm.pattern(x, y, s));
                GpuDriver.expect(RESP_OK_NODATA, vm.gpu.transfer(id, 0, 0, SIDE, SIDE), "TRANSFER " + id);
            }
        }

        /** Every resource on the scanout in turn, compared pixel by pixel on QEMU's side. */
        void readBack() throws Exception {
            for (int id = 1; id <= RESOURCES; id++) {
                int s = salt(index, id);
                GpuDriver.expect(RESP_OK_NODATA, vm.gpu.setScanout(0, id, 0, 0, SIDE, SIDE), "SET_SCANOUT " + id);
                GpuDriver.expect(RESP_OK_NODATA, vm.gpu.flush(id, 0, 0, SIDE, SIDE), "FLUSH " + id);
                assertNotNull(vm.peer.awaitFramebuffer(0, f -> Vm.shows(f, SIDE, SIDE, s), 20_000), "VM " + index + " resource " + id + " not exact");
                vm.peer.forgetPixelsBefore(vm.peer.mark());
            }
        }
    }

    @Test
    void sixteenVmsOf64MiBInA128MiBHostBudget() throws Exception {
        try (ManyVmsBackend backend = new ManyVmsBackend(dir, "--max-vms=16", "--max-resident=128M", "--max-total=2G", "--vm-max-total=128M")) {
            Thread.sleep(500);
            long baseAnon = backend.statusKib("RssAnon") * 1024;
            AtomicLong peakAnon = new AtomicLong();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = Thread.ofPlatform().start(() -> {
                while (sampling.get()) {
                    try {
                        peakAnon.accumulateAndGet(backend.statusKib("RssAnon") * 1024, Math::max);
                        Thread.sleep(20);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            List<Guest> guests = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(VMS);
            try {
                guests.add(new Guest(0, backend.path)); // the hot one is VM 1 in the figures
                backend.awaitVms(1, 5000);
                for (int v = 1; v < VMS; v++) guests.add(new Guest(v, backend.path));
                backend.awaitVms(VMS, 5000);
                all(pool, guests, Guest::fill);
                Thread.sleep(300); // the shrinker's round after the last page-ins
                assertTrue(backend.stat("host_resident_bytes") <= 128 * MIB, "host resident " + backend.stat("host_resident_bytes"));

                // the hot VM works on 16 MiB while the other 15 are idle
                Guest hot = guests.get(0);
                long evictionsMid = -1;
                long t0 = System.nanoTime();
                while (System.nanoTime() - t0 < 4_000_000_000L) {
                    for (int id = 1; id <= HOT; id++) GpuDriver.expect(RESP_OK_NODATA, hot.vm.gpu.transfer(id, 0, 0, SIDE, SIDE), "hot TRANSFER");
                    if (evictionsMid < 0 && System.nanoTime() - t0 > 2_000_000_000L) evictionsMid = backend.stat("vm.1.evictions");
                }
                Map<String, String> s = backend.stats();
                long hotResident = Long.parseLong(s.get("vm.1.resident_bytes"));
                long idleResident = Long.parseLong(s.get("resident_bytes")) - hotResident;
                System.out.printf("hot VM: resident %d MiB, evictions %s (mid %d), fair share %s; idle VMs resident %d MiB; host resident %s, peak %s%n",
                        hotResident >> 20, s.get("vm.1.evictions"), evictionsMid, s.get("vm.1.fair_share_bytes"), idleResident >> 20,
                        s.get("host_resident_bytes"), s.get("host_peak_resident_bytes"));
                assertTrue(hotResident >= HOT * 4 * MIB, "the hot working set stays resident: " + hotResident);
                assertEquals(evictionsMid, Long.parseLong(s.get("vm.1.evictions")), "nothing of the hot set moved out in the last 2 s");
                assertTrue(idleResident <= 128 * MIB - HOT * 4 * MIB, "idle VMs hold " + idleResident);
                assertTrue(Long.parseLong(s.get("host_resident_bytes")) <= 128 * MIB);
                long paged = Long.parseLong(s.get("pageable_bytes"));
                assertTrue(paged >= (VMS * RESOURCES * 4 - 128) * MIB, "in the page file: " + (paged >> 20) + " MiB");

                // a flooder is refused at its cap (128 MiB total); then every other VM still creates and draws
                Guest flood = guests.get(5);
                int made = 0;
                while (true) {
                    Response r = flood.vm.gpu.createResource(100 + made, Vm.BGRX, SIDE, SIDE);
                    if (r.type() == RESP_ERR_OUT_OF_MEMORY) break;
                    GpuDriver.expect(RESP_OK_NODATA, r, "flood CREATE_2D");
                    assertTrue(++made <= 64, "never refused");
                }
                assertTrue(made >= 15, "refused only near its cap: " + made);
                for (int i = 0; i < made; i++) GpuDriver.expect(RESP_OK_NODATA, flood.vm.gpu.unref(100 + i), "UNREF");

                // every byte of every VM back, all at once (page-ins across all VMs)
                all(pool, guests, Guest::readBack);
                long refusals = 0;
                for (int v = 1; v <= VMS; v++) if (v != 6) refusals += backend.stat("vm." + v + ".refusals");
                assertEquals(0, refusals, "no VM but the flooder was refused anything");
                assertTrue(backend.stat("vm.6.refusals") >= 1);
                System.out.printf("RssAnon: idle %d MiB, peak %d MiB (+%d); host peak resident %d MiB, overshoots %d, shrinker requests %d%n",
                        baseAnon >> 20, peakAnon.get() >> 20, (peakAnon.get() - baseAnon) >> 20, backend.stat("host_peak_resident_bytes") >> 20,
                        backend.stat("host_overshoots"), backend.stat("shrinker_requests"));
                assertTrue(peakAnon.get() - baseAnon <= RSS_ALLOWANCE, "anonymous RSS grew by " + ((peakAnon.get() - baseAnon) >> 20) + " MiB");
            } finally {
                sampling.set(false);
                sampler.join();
                pool.shutdownNow();
                pool.awaitTermination(30, TimeUnit.SECONDS);
                for (Guest g : guests) g.vm.close();
            }
            backend.awaitVms(0, 10_000);
            assertEquals(0, backend.stat("host_total_bytes"));
            assertEquals(0, backend.stat("host_resident_bytes"));
        }
    }

    private interface Step {
        void run(Guest g) throws Exception;
    }

    private static void all(ExecutorService pool, List<Guest> guests, Step step) throws Exception {
        List<Future<?>> fs = new ArrayList<>();
        for (Guest g : guests) fs.add(pool.submit(() -> { step.run(g); return null; }));
        for (Future<?> f : fs) f.get(180, TimeUnit.SECONDS);
    }
}
