package dev.panamavgpu.testguest.hardening;

import static dev.panamavgpu.testguest.driver.Commands.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.testguest.driver.GpuDriver;
import org.junit.jupiter.api.Test;

/**
 * 1,000 VM-like sessions in one back-end process (connect, set up, draw, cursor, reset, draw
 * again, disconnect): afterwards the process holds what it held before.
 *
 * <p>Tolerances: fds, threads and guest-RAM mappings must match exactly. Total mapped bytes may
 * grow by up to 64 MiB: the JVM and glibc reserve address space in large steps of their own (code
 * cache, metaspace, malloc arenas of 64 MiB), while a leak of any per-session mapping is at least
 * 1,000 x 1 MiB (guest RAM, the display channel's UPDATE buffer). The heap after a GC may grow by
 * up to 8 MiB (class data, JIT-related objects, interned strings); a per-session leak of one
 * device (request buffer 256 KiB, display channel, resource maps) would be hundreds of MiB, and even
 * a leak of 8 KiB per session would be caught.
 */
class SessionLeakTest {
    static final int SESSIONS = 1000;
    static final long MAPPED_TOLERANCE = 64L << 20, HEAP_TOLERANCE = 8L << 20;

    @Test
    void thousandVmSessionsLeaveNothingBehind() throws Exception {
        try (Backend backend = new Backend()) {
            for (int i = 0; i < 20; i++) session(backend, i); // warm-up: class loading, JIT, malloc arenas
            backend.awaitNoFrontend(3_000);
            ProcessResources.heapAfterGc(); // what earlier tests left to cleaners goes before the baseline
            int fds = ProcessResources.openFds();
            long ramMapped = ProcessResources.mappedBytes("memfd:guest-ram");
            long mapped = ProcessResources.mappedBytes();
            long heap = ProcessResources.heapAfterGc();
            ThreadCheck threads = ThreadCheck.now();
            long t0 = System.nanoTime();

            for (int i = 0; i < SESSIONS; i++) session(backend, i);

            long ms = (System.nanoTime() - t0) / 1_000_000;
            backend.awaitNoFrontend(3_000);
            threads.assertNoneLeftAfter(3_000);
            assertEquals(SESSIONS + 20, backend.server.connectionsServed());
            assertEquals(fds, ProcessResources.openFds(), "open fds");
            assertEquals(ramMapped, ProcessResources.mappedBytes("memfd:guest-ram"), "guest RAM mapped");
            long mappedGrowth = ProcessResources.mappedBytes() - mapped;
            long heapGrowth = ProcessResources.heapAfterGc() - heap;
            System.out.printf("%d sessions in %d ms; mapped bytes %+d, heap after GC %+d%n", SESSIONS, ms, mappedGrowth, heapGrowth);
            assertTrue(mappedGrowth <= MAPPED_TOLERANCE, "mapped bytes grew by " + mappedGrowth);
            assertTrue(heapGrowth <= HEAP_TOLERANCE, "heap after GC grew by " + heapGrowth);
        }
    }

    /** One VM's life: set up, draw, cursor, device reset, draw again, gone. */
    private static void session(Backend backend, int i) throws Exception {
        try (Vm vm = Vm.connect(backend.path, 1 << 20)) {
            vm.drawAndShow(1, 32, 32, i);
            GpuDriver.expect(RESP_OK_NODATA, vm.gpu.createResource(2, Vm.BGRX, 64, 64), "cursor CREATE_2D");
            GpuDriver.expect(RESP_OK_NODATA, vm.gpu.updateCursor(0, 1, 1, 2, 0, 0), "UPDATE_CURSOR");
            vm.session.stopRings(); // reboot: QEMU stops the rings, resets the device, starts again
            vm.session.connection().resetDevice();
            vm.session.startRings(false);
            vm.gpu.forgetResources();
            vm.attachPeer();
            vm.drawAndShow(1, 16, 16, i + 1);
        }
    }
}
