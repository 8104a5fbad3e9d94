package dev.panamavgpu.testguest.qxl;

import static dev.panamavgpu.testguest.qxl.QxlGuest.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamavgpu.qxl.QxlStats;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The memory discipline: what the host holds of guest memory, and when it gives it back. */
class QxlMemoryTest {
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
    void afterFlushSurfacesDestroyAllAndFlushReleaseNoGuestCommandMemoryIsHeld() throws Exception {
        start(QxlRig.config(64 << 20).withIdleRenderMillis(60_000));
        assertEquals(IO_OK, g.createPrimary(64, 64, false));
        for (int s = 1; s <= 20; s++) g.surfaceCreate(s * 1000, 16, 16, g.alloc(16 * 16 * 4), false);
        for (int i = 0; i < 200; i++) {
            int s = (i % 21) * 1000;
            g.fill(s, i % 16, i % 16, 4, 4, i, i % 3 == 0 ? new int[] {0, 0, 8, 8} : null);
            if (i % 40 == 0) g.copyBitmap(0, 0, 0, 8, 8, new int[64], 24, false);
            if (i % 30 == 0) g.copySurface(0, 10, 10, 8, 8, 1000, 0, 0);
            if (i % 25 == 0) g.collectReleases();
        }
        g.cursorSet(1, 1, 8, 8);
        rig.settle();
        assertTrue(rig.stats().heldCommands() > 0, "drawables are waiting before the flush");

        assertEquals(IO_OK, g.io(IO_FLUSH_SURFACES_ASYNC, 0));
        assertEquals(IO_OK, g.io(IO_DESTROY_ALL_SURFACES_ASYNC, 0));
        assertEquals(IO_OK, g.io(IO_FLUSH_RELEASE, 0));
        g.collectReleases();

        QxlStats s = rig.stats();
        assertEquals(0, s.heldCommands());
        assertEquals(0, s.heldBytes());
        assertEquals(0, s.unpublishedReleases());
        assertEquals(0, s.liveSurfaces());
        assertEquals(0, rig.charged());
        assertEquals(Set.of(), g.outstanding(), "every command the guest submitted came back");
        assertEquals(0, g.stat(T_HELD_BYTES), "the guest sees the same figure in the transport page");
    }

    @Test
    void pendingDrawablesAreBoundedByBytes() throws Exception {
        long limit = 3 * 191 + 10; // room for three fills
        start(QxlRig.config(64 << 20).withIdleRenderMillis(60_000).withPendingLimit(limit));
        g.createPrimary(16, 16, false);
        Set<Long> back = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            g.fill(0, i % 16, 0, 1, 1, i, null);
            if (i % 4 == 3) {
                rig.settle();
                QxlStats s = rig.stats();
                assertTrue(s.heldBytes() <= limit, "held " + s.heldBytes());
                back.addAll(g.collectReleases());
            }
        }
        rig.settle();
        assertEquals(3, rig.stats().heldCommands());
        // without any IO, the oldest 17 were drawn and came back at the ends of the bursts
        back.addAll(g.collectReleases());
        assertEquals(17, back.size());
    }

    @Test
    void bitmapBytesCountTowardsTheBound() throws Exception {
        start(QxlRig.config(64 << 20).withIdleRenderMillis(60_000).withPendingLimit(8 * 8 * 4));
        g.createPrimary(16, 16, false);
        g.copyBitmap(0, 0, 0, 8, 8, new int[64], 0, false); // 256 bytes of pixels + structs > limit
        rig.settle();
        assertEquals(0, rig.stats().heldCommands());
        assertEquals(1, g.collectReleases().size());
    }

    @Test
    void idleDrawablesAreDrawnAndReleasedWithoutAnyIo() throws Exception {
        start(QxlRig.config(64 << 20).withIdleRenderMillis(5));
        g.createPrimary(16, 16, false);
        long d = g.fill(0, 0, 0, 4, 4, 9, null);
        g.kick();
        IvshmemWait.until(() -> g.collectReleases().contains(g.idAt(d)) || !g.outstanding().contains(g.idAt(d)));
    }

    @Test
    void aFullReleaseRingDelaysPublicationButLosesNothing() throws Exception {
        start(QxlRig.config(64 << 20));
        g.createPrimary(16, 16, false);
        // each IO publishes one list; without collecting, the ring fills (7 lists, one slot reserved)
        for (int i = 0; i < 12; i++) {
            g.fill(0, 0, 0, 1, 1, i, null);
            assertEquals(IO_OK, g.io(IO_FLUSH_SURFACES_ASYNC, 0));
        }
        QxlStats s = rig.stats();
        assertTrue(s.unpublishedReleases() > 0, "the last releases wait for room");
        assertEquals(7, s.releaseListsPushed());
        g.collectReleases();
        assertEquals(IO_OK, g.io(IO_FLUSH_RELEASE, 0));
        g.collectReleases();
        assertEquals(Set.of(), g.outstanding());
    }

    @Test
    void surfacesBeyondTheBudgetAreRefusedAndDrawingOnThemIsDropped() throws Exception {
        start(QxlRig.config(16 * 16 * 4 + 8 * 8 * 4));
        g.createPrimary(16, 16, false);
        g.surfaceCreate(1, 8, 8, -1, false);
        g.surfaceCreate(2, 8, 8, -1, false); // over budget
        g.fill(2, 0, 0, 8, 8, 1, null);
        assertEquals(IO_OK, g.io(IO_FLUSH_SURFACES_ASYNC, 0));
        QxlStats s = rig.stats();
        assertEquals(1, s.liveSurfaces());
        assertEquals(1, s.surfaceRefusals());
        assertEquals(1, s.dropped());
        assertEquals("NONE", s.bug());
        g.collectReleases();
        assertEquals(Set.of(), g.outstanding());
    }
}
