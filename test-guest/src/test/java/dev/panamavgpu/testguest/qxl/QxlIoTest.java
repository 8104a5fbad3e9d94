package dev.panamavgpu.testguest.qxl;

import static dev.panamavgpu.testguest.qxl.QxlGuest.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamavgpu.qxl.QxlStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every IO port through the mailbox: completion, interrupts and effect. */
class QxlIoTest {
    private QxlRig rig;
    private QxlGuest g;

    private void start(dev.panamavgpu.qxl.QxlConfig config) throws Exception {
        rig = QxlRig.start(config);
        g = rig.guest;
    }

    @AfterEach
    void stop() {
        if (rig != null) rig.close();
    }

    @Test
    void everyIoCompletesWithIoCmdAndTheIoDoneVector() throws Exception {
        start(QxlRig.config(64 << 20));
        g.takeInterrupts();
        g.peer.drainOwn(1);
        assertEquals(IO_OK, g.io(IO_FLUSH_RELEASE, 0));
        assertTrue((g.takeInterrupts() & INT_IO_CMD) != 0);
        IvshmemWait.until(() -> g.peer.drainOwn(1) >= 1);
        assertEquals(IO_FLUSH_RELEASE, g.shm.get(LE32, TRANSPORT + 0x68));
    }

    @Test
    void interruptsReachTheGuestVectorOnlyThroughTheMask() throws Exception {
        start(QxlRig.config(64 << 20));
        g.takeInterrupts();
        g.peer.drainOwn(0);
        A32.setVolatile(g.shm, RAM + INT_MASK, 0);
        assertEquals(IO_OK, g.io(IO_FLUSH_RELEASE, 0));
        assertEquals(0, g.peer.drainOwn(0), "masked: no MSI");
        assertTrue((g.interruptsPending() & INT_IO_CMD) != 0, "but the bit is pending");
        // UPDATE_IRQ after unmasking re-signals what is pending (an MSI edge was lost while masked)
        A32.setVolatile(g.shm, RAM + INT_MASK, INT_IO_CMD);
        assertEquals(IO_OK, g.io(IO_UPDATE_IRQ, 0));
        IvshmemWait.until(() -> g.peer.drainOwn(0) >= 1);
    }

    @Test
    void createAndDestroyPrimary() throws Exception {
        start(QxlRig.config(64 << 20));
        assertEquals(IO_OK, g.createPrimary(32, 32, false));
        assertTrue(rig.stats().primary());
        assertEquals(32 * 32 * 4, rig.charged());
        assertEquals(IO_OK, g.io(IO_DESTROY_PRIMARY, 0));
        assertFalse(rig.stats().primary());
        assertEquals(0, rig.charged());
        assertEquals(IO_OK, g.createPrimary(16, 16, false));
    }

    @Test
    void createPrimaryBeyondTheBudgetFailsWithoutStopping() throws Exception {
        start(QxlRig.config(1024));
        assertEquals(IO_NO_MEMORY, g.createPrimary(64, 64, false));
        assertEquals("NONE", rig.stats().bug());
        assertEquals(IO_OK, g.createPrimary(8, 8, false));
    }

    @Test
    void memslotAddAndDelete() throws Exception {
        start(QxlRig.config(64 << 20));
        long base = GUEST + 0x100000;
        g.addMemslot(2, base, base + 0x10000);
        assertEquals(2, rig.stats().memslots());
        assertEquals(IO_OK, g.io(IO_MEMSLOT_DEL, 2));
        assertEquals(1, rig.stats().memslots());
        g.shm.set(LE64, RAM + MEM_SLOT, base);
        g.shm.set(LE64, RAM + MEM_SLOT + 8, base + 0x10000);
        assertEquals(IO_OK, g.io(IO_MEMSLOT_ADD_ASYNC, 3));
        assertEquals(2, rig.stats().memslots());
    }

    @Test
    void updateAreaWritesOnlyTheAreaAsked() throws Exception {
        start(QxlRig.config(64 << 20));
        g.createPrimary(16, 16, false);
        g.fill(0, 0, 0, 16, 16, 0x0a0b0c, null);
        assertEquals(IO_OK, g.updateArea(0, 4, 4, 2, 2));
        assertEquals(0x0a0b0c, g.primaryPixel(4, 4));
        assertEquals(0, g.primaryPixel(6, 6));
        assertEquals(IO_INVALID, g.updateArea(77, 0, 0, 1, 1), "no such surface");
    }

    @Test
    void destroySurfaceWaitReleasesAndFlushesAtOnce() throws Exception {
        start(QxlRig.config(64 << 20).withIdleRenderMillis(60_000));
        g.createPrimary(16, 16, false);
        g.surfaceCreate(5, 8, 8, -1, false);
        long fill = g.fill(5, 0, 0, 8, 8, 1, null);
        rig.settle();
        assertEquals(1, rig.stats().heldCommands(), "the drawable waits (idle render is far away)");
        assertEquals(IO_OK, g.io(IO_DESTROY_SURFACE_WAIT, 5));
        assertTrue(g.collectReleases().contains(g.idAt(fill)), "released and published by the IO itself");
        assertEquals(0, rig.stats().liveSurfaces());
        assertEquals(IO_OK, g.io(IO_DESTROY_SURFACE_ASYNC, 12345), "destroying an unknown id is harmless");
    }

    @Test
    void destroyAllSurfacesAndFlushSurfaces() throws Exception {
        start(QxlRig.config(64 << 20).withIdleRenderMillis(60_000));
        g.createPrimary(16, 16, false);
        long mem = g.alloc(8 * 8 * 4);
        g.surfaceCreate(5, 8, 8, mem, false);
        g.fill(5, 0, 0, 8, 8, 0x55, null);
        g.fill(0, 0, 0, 16, 16, 0x66, null);
        assertEquals(IO_OK, g.io(IO_FLUSH_SURFACES_ASYNC, 0));
        assertEquals(0x55, g.shm.get(LE32, mem), "every surface written back");
        assertEquals(0x66, g.primaryPixel(15, 15));
        assertEquals(IO_OK, g.io(IO_DESTROY_ALL_SURFACES, 0));
        QxlStats s = rig.stats();
        assertEquals(0, s.liveSurfaces());
        assertFalse(s.primary());
        assertEquals(0, rig.charged());
    }

    @Test
    void notifyOomDrawsAndReleasesEverythingHeldAtOnce() throws Exception {
        start(QxlRig.config(64 << 20).withIdleRenderMillis(60_000));
        g.createPrimary(16, 16, false);
        for (int i = 0; i < 10; i++) g.fill(0, i, 0, 1, 1, i, null);
        rig.settle();
        g.collectReleases();
        assertEquals(10, rig.stats().heldCommands());
        g.takeInterrupts();
        assertEquals(IO_OK, g.io(IO_NOTIFY_OOM, 0));
        assertEquals(10, g.collectReleases().size());
        assertTrue((g.takeInterrupts() & INT_DISPLAY) != 0);
        QxlStats s = rig.stats();
        assertEquals(0, s.heldCommands());
        assertEquals(1, s.oomCount());
    }

    @Test
    void resetForgetsEverythingAndBumpsTheSlotGeneration() throws Exception {
        start(QxlRig.config(64 << 20));
        g.createPrimary(16, 16, false);
        int gen = g.generation;
        g.setup(); // RESET + memslot again
        assertNotEquals(gen, g.generation);
        QxlStats s = rig.stats();
        assertFalse(s.primary());
        assertEquals(0, rig.charged());
        // an address made with the old generation is now a guest error
        long d = g.command(191);
        g.shm.set(LE32, d + 8, 0);
        g.push(false, QxlGuest.physIn(1, gen, d - GUEST), CMD_DRAW);
        rig.settle();
        assertEquals("BAD_GENERATION", rig.stats().bug());
    }

    @Test
    void logAndUnsupportedPorts() throws Exception {
        start(QxlRig.config(64 << 20));
        g.shm.setString(RAM + LOG_BUF, "hello from the guest");
        assertEquals(IO_OK, g.io(IO_LOG, 0));
        assertEquals(IO_INVALID, g.io(IO_SET_MODE, 0));
        assertEquals(IO_INVALID, g.io(24, 0)); // MONITORS_CONFIG_ASYNC
        assertEquals("NONE", rig.stats().bug());
    }

    @Test
    void notifyCmdThroughTheMailboxConsumesTheRing() throws Exception {
        start(QxlRig.config(64 << 20));
        g.createPrimary(8, 8, false);
        g.fill(0, 0, 0, 8, 8, 3, null);
        assertEquals(IO_OK, g.io(IO_NOTIFY_CMD, 0));
        assertEquals(IO_OK, g.io(IO_FLUSH_RELEASE, 0));
        assertTrue(rig.stats().commandsProcessed() >= 1);
    }
}
