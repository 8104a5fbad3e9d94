package dev.panamavgpu.testguest.conformance;

import static dev.panamavgpu.testguest.check.ResponseChecks.*;
import static dev.panamavgpu.testguest.driver.Commands.*;
import static dev.panamavgpu.testguest.check.Expect.*;

import dev.panamavgpu.testguest.driver.Backing;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.driver.Response;
import dev.panamavgpu.testguest.qemu.DisplayEvent;
import dev.panamavgpu.testguest.qemu.QemuDisplayPeer;
import java.util.ArrayList;
import java.util.List;

/** GPU socket replacement, RESET_DEVICE, stop/resume, and a QEMU that stops reading the GPU socket. */
public final class LifecycleScenarios {
    static final String GROUP = "lifecycle";

    private LifecycleScenarios() {}

    /** Every scenario of this group, one per parameter set. */
    public static List<Scenario> all() {
        List<Scenario> s = new ArrayList<>();
        s.add(Scenario.of(GROUP, "aReplacedGpuSocketGetsScanoutBeforeAnyUpdateAndTheWholePicture", LifecycleScenarios::aReplacedGpuSocketGetsScanoutBeforeAnyUpdateAndTheWholePicture));
        s.add(Scenario.of(GROUP, "manySocketReplacementsInARow", LifecycleScenarios::manySocketReplacementsInARow));
        s.add(Scenario.of(GROUP, "requestsWaitingForTheOldGpuSocketAreAnsweredWhenItIsReplaced", LifecycleScenarios::requestsWaitingForTheOldGpuSocketAreAnsweredWhenItIsReplaced));
        s.add(Scenario.of(GROUP, "resetDeviceDropsResourcesAndScanouts", LifecycleScenarios::resetDeviceDropsResourcesAndScanouts));
        s.add(Scenario.of(GROUP, "stopAndResumeKeepResourcesAndScanouts", LifecycleScenarios::stopAndResumeKeepResourcesAndScanouts));
        s.add(Scenario.of(GROUP, "aHeldGetDisplayInfoIsCompletedBeforeTheRingStops", LifecycleScenarios::aHeldGetDisplayInfoIsCompletedBeforeTheRingStops));
        s.add(Scenario.of(GROUP, "aQemuThatStopsReadingForThreeSecondsDoesNotSlowTheControlQueue", LifecycleScenarios::aQemuThatStopsReadingForThreeSecondsDoesNotSlowTheControlQueue));
        return List.copyOf(s);
    }

    static final int BGRX = 2;

    static int pattern(int x, int y, int salt) { return ((x * 3 + salt) & 0xff) | ((y * 7 + salt) & 0xff) << 8 | ((x ^ y ^ salt) & 0xff) << 16; }

    static boolean shows(QemuDisplayPeer.Framebuffer f, int w, int h, int salt) {
        if (f.width() != w || f.height() != h) return false;
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) if ((f.pixel(x, y) & 0xFFFFFF) != pattern(x, y, salt)) return false;
        return true;
    }

    /** Resource 1 (w×h, pattern {@code salt}) shown on scanout 0, and QEMU has the whole picture. */
    static Backing showOnScanout0(GpuRig rig, int w, int h, int salt) throws Exception {
        Backing b = rig.gpu().createWithBacking(1, BGRX, w, h);
        b.fillPixels(w, h, w * 4L, (x, y) -> pattern(x, y, salt));
        assertNoData(rig.gpu().transfer(1, 0, 0, w, h));
        assertNoData(rig.gpu().setScanout(0, 1, 0, 0, w, h));
        assertNotNull(rig.peer().awaitFramebuffer(0, f -> shows(f, w, h, salt), 5000), "QEMU never got the picture");
        return b;
    }
    static void aReplacedGpuSocketGetsScanoutBeforeAnyUpdateAndTheWholePicture(GpuRig rig) throws Exception {
        Backing b = showOnScanout0(rig, 64, 48, 1);
        QemuDisplayPeer old = rig.peer();
        QemuDisplayPeer fresh = rig.attachPeer();
        assertTrue(old.awaitEof(3000), "the old GPU socket is closed");
        assertNotNull(fresh.awaitFramebuffer(0, f -> shows(f, 64, 48, 1), 5000), "the new socket gets the active scanout's content");
        List<DisplayEvent> ev = fresh.events();
        assertEquals(new DisplayEvent.GetProtocolFeatures(), ev.getFirst(), "negotiation first");
        int scanout = -1, update = -1;
        for (int i = 0; i < ev.size(); i++) {
            if (scanout < 0 && ev.get(i) instanceof DisplayEvent.Scanout) scanout = i;
            if (update < 0 && ev.get(i) instanceof DisplayEvent.Update) update = i;
        }
        assertTrue(scanout >= 0 && scanout < update, "SCANOUT before the first UPDATE: " + ev);
        assertEquals(new DisplayEvent.Scanout(0, 64, 48), ev.get(scanout));

        // work goes on, on the new socket only
        int oldCount = old.mark();
        b.fillRect(0, 0, 8, 8, 256, (x, y) -> 0x00FF00FF);
        assertNoData(rig.gpu().transfer(1, 0, 0, 8, 8));
        assertNoData(rig.gpu().flush(1, 0, 0, 8, 8));
        assertNotNull(fresh.awaitFramebuffer(0, f -> (f.pixel(3, 3) & 0xFFFFFF) == 0xFF00FF, 3000));
        assertEquals(oldCount, old.mark(), "nothing more for the old socket");
        // cursor and EDID on the new socket
        assertResponse(RESP_OK_EDID, RESP_EDID_SIZE, rig.gpu().getEdid(0));
        rig.assertCleanDisplay();
    }
    static void manySocketReplacementsInARow(GpuRig rig) throws Exception {
        showOnScanout0(rig, 32, 32, 2);
        for (int i = 0; i < 20; i++) rig.attachPeer();
        assertNotNull(rig.peer().awaitFramebuffer(0, f -> shows(f, 32, 32, 2), 5000));
        assertResponse(RESP_OK_DISPLAY_INFO, RESP_DISPLAY_INFO_SIZE, rig.gpu().getDisplayInfo());
        rig.assertCleanDisplay();
    }
    static void requestsWaitingForTheOldGpuSocketAreAnsweredWhenItIsReplaced(GpuRig rig) throws Exception {
        rig.peer().pause(); // the old QEMU end will never answer
        GpuDriver.Ticket info = rig.gpu().submitGetDisplayInfo();
        GpuDriver.Ticket edid = rig.gpu().submitGetEdid(0);
        Thread.sleep(50);
        long t0 = System.nanoTime();
        rig.attachPeer();
        Response i = rig.gpu().await(info, 3000), e = rig.gpu().await(edid, 3000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 800, "answered " + ms + " ms after the socket was replaced");
        assertResponse(RESP_OK_DISPLAY_INFO, RESP_DISPLAY_INFO_SIZE, i);
        assertTrue(e.isError() || e.type() == RESP_OK_EDID, "GET_EDID: " + e);
        assertResponse(e.type(), e.isError() ? 24 : RESP_EDID_SIZE, e);
        assertResponse(RESP_OK_EDID, RESP_EDID_SIZE, rig.gpu().getEdid(0)); // the new socket answers
    }
    static void resetDeviceDropsResourcesAndScanouts(GpuRig rig) throws Exception {
        Backing b = showOnScanout0(rig, 64, 48, 3);
        assertNoData(rig.gpu().createResource(2, BGRX, 16, 16));
        QemuDisplayPeer before = rig.peer();

        rig.resetDevice();
        QemuDisplayPeer after = rig.attachPeer(); // QEMU hands over a new GPU socket at the next DRIVER_OK

        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().unref(1));
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().transfer(1, 0, 0, 64, 48, 0));
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().flush(1, 0, 0, 64, 48));
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().attachBacking(2, b));
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().setScanout(0, 1, 0, 0, 64, 48));
        assertNoData(rig.gpu().createResource(1, BGRX, 64, 48)); // the ids are free again
        assertNoData(rig.gpu().createResource(2, BGRX, 16, 16));
        Thread.sleep(100);
        assertEquals(List.of(), after.events().stream().filter(e -> e instanceof DisplayEvent.Scanout s && s.width() != 0
                || e instanceof DisplayEvent.Update).toList(), "no scanout survives a reset");
        assertTrue(before.awaitEof(3000), "the reset drops the old GPU socket");
        rig.assertCleanDisplay();
    }
    static void stopAndResumeKeepResourcesAndScanouts(GpuRig rig) throws Exception {
        Backing b = showOnScanout0(rig, 64, 48, 4);
        List<Integer> bases = rig.session().stopRings();
        assertTrue(bases.get(0) > 0, "the control queue was used: " + bases);
        rig.session().startRings(false);
        QemuDisplayPeer resumed = rig.attachPeer(); // QEMU makes a new socketpair at DRIVER_OK after cont
        assertNotNull(resumed.awaitFramebuffer(0, f -> shows(f, 64, 48, 4), 5000), "the scanout survives and is re-sent");

        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().createResource(1, BGRX, 8, 8)); // still there
        b.fillPixels(64, 48, 256, (x, y) -> pattern(x, y, 5));
        assertNoData(rig.gpu().transfer(1, 0, 0, 64, 48)); // backing still attached
        assertNoData(rig.gpu().flush(1, 0, 0, 64, 48));
        assertNotNull(resumed.awaitFramebuffer(0, f -> shows(f, 64, 48, 5), 5000));
        assertResponse(RESP_OK_RESOURCE_UUID, RESP_RESOURCE_UUID_SIZE, rig.gpu().assignUuid(1));
        rig.assertCleanDisplay();
    }
    static void aHeldGetDisplayInfoIsCompletedBeforeTheRingStops(GpuRig rig) throws Exception {
        rig.peer().pause(); // QEMU will not answer
        GpuDriver.Ticket t = rig.gpu().submitGetDisplayInfo();
        Thread.sleep(50);
        rig.session().stopRings();
        rig.gpu().poll(GpuDriver.CONTROL_QUEUE, 500);
        assertTrue(t.isDone(), "GET_VRING_BASE returned while a chain was still held by the device");
        rig.peer().resume();
        rig.session().startRings(false);
        assertNoData(rig.gpu().createResource(1, BGRX, 8, 8));
    }
    static void aQemuThatStopsReadingForThreeSecondsDoesNotSlowTheControlQueue(GpuRig rig) throws Exception {
        final int w = 1280, h = 800, band = 16;
        Backing b = showOnScanout0(rig, w, h, 6);
        // baseline with QEMU reading
        Rate normal = transferFlushLoop(rig, b, w, h, band, 1000, 100);
        rig.peer().pause();
        Thread.sleep(50); // let QEMU's end finish the message it is reading
        int mark = rig.peer().mark();
        Rate blocked = transferFlushLoop(rig, b, w, h, band, 3000, 200);
        // the vhost-user control path answers too
        long t0 = System.nanoTime();
        assertNotEquals(0, rig.session().connection().getFeatures());
        long ctlMs = (System.nanoTime() - t0) / 1_000_000;
        rig.peer().resume();

        assertTrue(blocked.worstMillis() < 500, "a command took " + blocked.worstMillis() + " ms while QEMU did not read");
        assertTrue(blocked.perSecond() >= normal.perSecond() / 4,
                "TRANSFER+FLUSH/s: " + blocked.perSecond() + " while blocked vs " + normal.perSecond() + " normally");
        assertTrue(ctlMs < 500, "GET_FEATURES took " + ctlMs + " ms");
        // after QEMU reads again it gets the newest picture, merged, and nothing out of order
        int last = blocked.lastSalt();
        assertNotNull(rig.peer().awaitFramebuffer(0, f -> shows(f, w, h, last), 10_000),
                "QEMU's picture after it reads again is the guest's newest");
        long updates = rig.peer().eventsSince(mark).stream().filter(e -> e instanceof DisplayEvent.Update).count();
        System.out.printf("slow QEMU: %.0f pairs/s normally, %.0f pairs/s blocked (worst %d ms), %d flushes -> %d UPDATEs%n",
                normal.perSecond(), blocked.perSecond(), blocked.worstMillis(), blocked.pairs(), updates);
        assertTrue(updates < blocked.pairs() / 2, "damage is merged while QEMU does not read: " + updates
                + " UPDATEs for " + blocked.pairs() + " flushes");
        rig.assertCleanDisplay();
    }

    record Rate(int pairs, long nanos, long worstNanos, int lastSalt) {
        double perSecond() { return pairs * 1e9 / nanos; }
        long worstMillis() { return worstNanos / 1_000_000; }
    }

    /** TRANSFER+FLUSH of one band after another for {@code millis}; each round repaints its band with a new salt. */
    static Rate transferFlushLoop(GpuRig rig, Backing b, int w, int h, int band, long millis, int minPairs) throws Exception {
        long t0 = System.nanoTime(), end = t0 + millis * 1_000_000L, worst = 0;
        int pairs = 0;
        int salt = 100;
        int bands = h / band;
        // every band must end with the same salt, so repaint the whole picture band by band with one salt per sweep
        while (System.nanoTime() < end || pairs % bands != 0) {
            int bi = pairs % bands;
            if (bi == 0) salt++;
            int s = salt;
            b.fillRect(0, bi * band, w, band, w * 4L, (x, y) -> pattern(x, y, s));
            Response tr = rig.gpu().transfer(1, 0, bi * band, w, band);
            assertNoData(tr);
            Response fl = rig.gpu().flush(1, 0, bi * band, w, band);
            assertNoData(fl);
            worst = Math.max(worst, Math.max(tr.elapsedNanos(), fl.elapsedNanos()));
            pairs++;
        }
        assertTrue(pairs >= minPairs, "only " + pairs + " TRANSFER+FLUSH pairs in " + millis + " ms");
        return new Rate(pairs, System.nanoTime() - t0, worst, salt);
    }
}
