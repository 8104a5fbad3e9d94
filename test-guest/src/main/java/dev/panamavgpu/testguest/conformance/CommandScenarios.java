package dev.panamavgpu.testguest.conformance;

import static dev.panamavgpu.testguest.check.ResponseChecks.*;
import static dev.panamavgpu.testguest.driver.Commands.*;
import static dev.panamavgpu.testguest.check.Expect.*;

import dev.panamavgpu.testguest.driver.Backing;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.driver.Hdr;
import dev.panamavgpu.testguest.driver.Response;
import dev.panamavgpu.testguest.qemu.DisplayEvent;
import dev.panamavgpu.testguest.qemu.QemuDisplayPeer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** Every 2D and cursor command on its happy path: the exact response and its effect on QEMU's display. */
public final class CommandScenarios {
    static final String GROUP = "commands";
    static final QemuDisplayPeer.Config TWO_DISPLAYS = QemuDisplayPeer.Config.defaults().withMaxOutputs(2)
            .withDisplays(List.of(new QemuDisplayPeer.Mode(1024, 768, true), new QemuDisplayPeer.Mode(800, 600, true)));

    private CommandScenarios() {}

    /** Every scenario of this group, one per parameter set. */
    public static List<Scenario> all() {
        List<Scenario> s = new ArrayList<>();
        s.add(Scenario.of(GROUP, "getDisplayInfoReturnsWhatQemuReports", Setup.display(TWO_DISPLAYS), CommandScenarios::getDisplayInfoReturnsWhatQemuReports));
        s.add(Scenario.of(GROUP, "getEdidReturnsQemusEdidForScanout0", CommandScenarios::getEdidReturnsQemusEdidForScanout0));
        s.add(Scenario.of(GROUP, "theBackendNegotiatesOnlyWhatQemuOffered", CommandScenarios::theBackendNegotiatesOnlyWhatQemuOffered));
        s.add(Scenario.of(GROUP, "getEdidWhenQemuDidNotOfferEdidFailsAtOnce", Setup.display(QemuDisplayPeer.Config.defaults().withProtocolFeatures(0)), CommandScenarios::getEdidWhenQemuDidNotOfferEdidFailsAtOnce));
        s.add(Scenario.of(GROUP, "createResource2dAnswersOkNoData", CommandScenarios::createResource2dAnswersOkNoData));
        s.add(Scenario.of(GROUP, "unrefAnswersOkNoDataAndTheResourceIsGone", CommandScenarios::unrefAnswersOkNoDataAndTheResourceIsGone));
        s.add(Scenario.of(GROUP, "attachAndDetachBacking", CommandScenarios::attachAndDetachBacking));
        s.add(Scenario.of(GROUP, "transferSetScanoutAndFlushReachQemu", CommandScenarios::transferSetScanoutAndFlushReachQemu));
        s.add(Scenario.of(GROUP, "assignUuidGivesAStableVersion4Uuid", CommandScenarios::assignUuidGivesAStableVersion4Uuid));
        s.add(Scenario.of(GROUP, "updateCursorSendsTheImageToQemu", CommandScenarios::updateCursorSendsTheImageToQemu));
        s.add(Scenario.of(GROUP, "moveCursorSendsCursorPosAndResourceZeroHides", CommandScenarios::moveCursorSendsCursorPosAndResourceZeroHides));
        s.add(Scenario.of(GROUP, "cursorCommandsWithoutResponseBufferLikeLinux", CommandScenarios::cursorCommandsWithoutResponseBufferLikeLinux));
        fencedCommands().forEach(a -> s.add(Scenario.of(GROUP, "fencedCommandsEchoFenceIdCtxIdAndRingIdx[" + a.command() + " with " + a.hdr() + "]",
                rig -> fencedCommandsEchoFenceIdCtxIdAndRingIdx(rig, a.command(), a.hdr()))));
        s.add(Scenario.of(GROUP, "pipelinedFencedCommandsEachEchoTheirOwnFence", CommandScenarios::pipelinedFencedCommandsEachEchoTheirOwnFence));
        return List.copyOf(s);
    }

    static final int BGRX = 2, BGRA = 1;
    static void getDisplayInfoReturnsWhatQemuReports(GpuRig rig) throws Exception {
        Response r = assertResponse(RESP_OK_DISPLAY_INFO, RESP_DISPLAY_INFO_SIZE, rig.gpu().getDisplayInfo());
        assertPmode(r, 0, 1024, 768, 1);
        assertPmode(r, 1, 800, 600, 1);
        assertZero(r, 24 + 2 * 24, RESP_DISPLAY_INFO_SIZE, "pmodes 2..15 (QEMU reported nothing there)");
        assertNotNull(rig.peer().awaitAfter(0, DisplayEvent.GetDisplayInfo.class, x -> true, 1000), "QEMU was asked");
        rig.assertCleanDisplay();
    }

    static void assertPmode(Response r, int i, long w, long h, long enabled) {
        int at = 24 + 24 * i;
        assertEquals(List.of(0L, 0L, w, h, enabled, 0L),
                List.of(r.u32(at), r.u32(at + 4), r.u32(at + 8), r.u32(at + 12), r.u32(at + 16), r.u32(at + 20)),
                "pmode " + i + " {x, y, width, height, enabled, flags}");
    }
    static void getEdidReturnsQemusEdidForScanout0(GpuRig rig) throws Exception {
        Response r = assertResponse(RESP_OK_EDID, RESP_EDID_SIZE, rig.gpu().getEdid(0));
        byte[] edid = QemuDisplayPeer.edidFor(0);
        assertEquals(edid.length, r.u32(24), "edid size");
        assertEquals(0, r.u32(28), "padding");
        assertArrayEquals(edid, Arrays.copyOfRange(r.buffer(), 32, 32 + edid.length), "EDID bytes as QEMU sent them");
        assertZero(r, 32 + edid.length, RESP_EDID_SIZE, "edid[] beyond size");
        assertEquals(new DisplayEvent.GetEdid(0, true), rig.peer().awaitAfter(0, DisplayEvent.GetEdid.class, x -> true, 1000));
        rig.assertCleanDisplay();
    }
    static void theBackendNegotiatesOnlyWhatQemuOffered(GpuRig rig) throws Exception {
        List<DisplayEvent> ev = rig.peer().events();
        assertEquals(new DisplayEvent.GetProtocolFeatures(), ev.get(0));
        DisplayEvent.SetProtocolFeatures set = rig.peer().awaitAfter(0, DisplayEvent.SetProtocolFeatures.class, x -> true, 1000);
        assertEquals(0, set.features() & ~3L, "SET_PROTOCOL_FEATURES must be a subset of QEMU's 3");
        assertEquals(1, set.features() & 1, "EDID is used");
    }
    static void getEdidWhenQemuDidNotOfferEdidFailsAtOnce(GpuRig rig) throws Exception {
        DisplayEvent.SetProtocolFeatures set = rig.peer().awaitAfter(0, DisplayEvent.SetProtocolFeatures.class, x -> true, 1000);
        assertEquals(0, set.features(), "nothing offered, nothing set");
        Response r = rig.gpu().getEdid(0);
        assertTrue(r.isError(), "GET_EDID without PROTOCOL_F_EDID: " + r);
        assertResponse(r.type(), 24, r);
        assertTrue(r.elapsedNanos() < 500_000_000L, "took " + r.elapsedNanos() / 1_000_000 + " ms");
        assertEquals(List.of(), rig.peer().events().stream().filter(e -> e instanceof DisplayEvent.GetEdid).toList(),
                "QEMU must not get GET_EDID it did not negotiate");
    }
    static void createResource2dAnswersOkNoData(GpuRig rig) throws Exception {
        assertNoData(rig.gpu().createResource(1, BGRX, 64, 48));
        // it exists now: a second create with the same id is refused
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().createResource(1, BGRX, 64, 48));
    }
    static void unrefAnswersOkNoDataAndTheResourceIsGone(GpuRig rig) throws Exception {
        rig.gpu().createWithBacking(1, BGRX, 64, 48);
        assertNoData(rig.gpu().unref(1));
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().transfer(1, 0, 0, 64, 48));
        assertNoData(rig.gpu().createResource(1, BGRX, 8, 8)); // the id is free again
    }
    static void attachAndDetachBacking(GpuRig rig) throws Exception {
        assertNoData(rig.gpu().createResource(1, BGRX, 64, 48));
        Backing b = rig.gpu().allocBacking(64 * 48 * 4);
        assertNoData(rig.gpu().attachBacking(1, b));
        assertNoData(rig.gpu().transfer(1, 0, 0, 64, 48));
        assertNoData(rig.gpu().detachBacking(1));
        assertError(RESP_ERR_UNSPEC, rig.gpu().transfer(1, 0, 0, 64, 48)); // no backing any more
        assertNoData(rig.gpu().attachBacking(1, b)); // and it can be attached again
        assertNoData(rig.gpu().transfer(1, 0, 0, 64, 48));
    }
    static void transferSetScanoutAndFlushReachQemu(GpuRig rig) throws Exception {
        Backing b = rig.gpu().createWithBacking(1, BGRX, 64, 48);
        b.fillPixels(64, 48, 256, (x, y) -> 0x00102030 + x + (y << 8));
        assertNoData(rig.gpu().transfer(1, 0, 0, 64, 48));
        int m = rig.peer().mark();
        assertNoData(rig.gpu().setScanout(0, 1, 0, 0, 64, 48));
        assertEquals(new DisplayEvent.Scanout(0, 64, 48), rig.peer().awaitAfter(m, DisplayEvent.Scanout.class, x -> true, 2000));
        DisplayEvent.Update u = rig.peer().awaitAfter(m, DisplayEvent.Update.class, x -> true, 2000);
        assertNotNull(u, "SET_SCANOUT shows the resource");
        assertEquals(List.of(0, 0, 0, 64, 48), List.of(u.scanoutId(), u.x(), u.y(), u.width(), u.height()));
        assertEquals(0x00102030 + 5 + (7 << 8), u.pixel(5, 7) & 0xFFFFFF);

        int m2 = rig.peer().mark();
        b.fillRect(10, 10, 4, 4, 256, (x, y) -> 0x00ABCDEF);
        assertNoData(rig.gpu().transfer(1, 10, 10, 4, 4));
        assertNoData(rig.gpu().flush(1, 10, 10, 4, 4));
        DisplayEvent.Update f = rig.peer().awaitAfter(m2, DisplayEvent.Update.class, x -> true, 2000);
        assertNotNull(f, "RESOURCE_FLUSH sends an UPDATE");
        assertEquals(List.of(0, 10, 10, 4, 4), List.of(f.scanoutId(), f.x(), f.y(), f.width(), f.height()));
        for (int y = 0; y < 4; y++) for (int x = 0; x < 4; x++) assertEquals(0xABCDEF, f.pixel(x, y) & 0xFFFFFF);
        rig.assertCleanDisplay();
    }
    static void assignUuidGivesAStableVersion4Uuid(GpuRig rig) throws Exception {
        assertNoData(rig.gpu().createResource(1, BGRX, 8, 8));
        assertNoData(rig.gpu().createResource(2, BGRX, 8, 8));
        Response a = assertResponse(RESP_OK_RESOURCE_UUID, RESP_RESOURCE_UUID_SIZE, rig.gpu().assignUuid(1));
        Response again = assertResponse(RESP_OK_RESOURCE_UUID, RESP_RESOURCE_UUID_SIZE, rig.gpu().assignUuid(1));
        Response b = assertResponse(RESP_OK_RESOURCE_UUID, RESP_RESOURCE_UUID_SIZE, rig.gpu().assignUuid(2));
        byte[] ua = a.payload(), ub = b.payload();
        assertEquals(16, ua.length);
        assertArrayEquals(ua, again.payload(), "the same resource keeps its UUID");
        assertFalse(Arrays.equals(ua, ub), "two resources, two UUIDs");
        assertEquals(0x40, ua[6] & 0xF0, "RFC 4122 version 4");
        assertEquals(0x80, ua[8] & 0xC0, "RFC 4122 variant");
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().assignUuid(3));
    }
    static void updateCursorSendsTheImageToQemu(GpuRig rig) throws Exception {
        Backing b = rig.gpu().createWithBacking(7, BGRA, 64, 64);
        b.fillPixels(64, 64, 256, (x, y) -> (x << 24) | (y << 16) | ((x ^ y) << 8) | 0x11);
        assertNoData(rig.gpu().transfer(7, 0, 0, 64, 64));
        int m = rig.peer().mark();
        assertNoData(rig.gpu().updateCursor(0, 100, 200, 7, 3, 4));
        DisplayEvent.CursorUpdate c = rig.peer().awaitAfter(m, DisplayEvent.CursorUpdate.class, x -> true, 2000);
        assertNotNull(c, "CURSOR_UPDATE reached QEMU");
        assertEquals(List.of(0, 100, 200, 3, 4), List.of(c.scanoutId(), c.x(), c.y(), c.hotX(), c.hotY()));
        for (int y = 0; y < 64; y += 7) for (int x = 0; x < 64; x += 5) {
            assertEquals((x << 24) | (y << 16) | ((x ^ y) << 8) | 0x11, c.pixel(x, y), "cursor pixel " + x + "," + y);
        }
        rig.assertCleanDisplay();
    }
    static void moveCursorSendsCursorPosAndResourceZeroHides(GpuRig rig) throws Exception {
        int m = rig.peer().mark();
        assertNoData(rig.gpu().moveCursor(0, 300, 400, 7));
        assertEquals(new DisplayEvent.CursorPos(0, 300, 400), rig.peer().awaitAfter(m, DisplayEvent.CursorPos.class, x -> true, 2000));
        int m2 = rig.peer().mark();
        assertNoData(rig.gpu().moveCursor(0, 5, 6, 0));
        assertEquals(new DisplayEvent.CursorHide(0, 5, 6), rig.peer().awaitAfter(m2, DisplayEvent.CursorHide.class, x -> true, 2000));
        int m3 = rig.peer().mark();
        assertNoData(rig.gpu().updateCursor(0, 7, 8, 0, 0, 0)); // UPDATE_CURSOR with resource 0 hides too
        assertEquals(new DisplayEvent.CursorHide(0, 7, 8), rig.peer().awaitAfter(m3, DisplayEvent.CursorHide.class, x -> true, 2000));
        rig.assertCleanDisplay();
    }
    static void cursorCommandsWithoutResponseBufferLikeLinux(GpuRig rig) throws Exception {
        GpuDriver linux = rig.gpu().withoutResponse();
        int m = rig.peer().mark();
        Response r = linux.moveCursor(0, 11, 12, 7);
        assertEquals(0, r.usedLength(), "nothing to write into");
        assertEquals(new DisplayEvent.CursorPos(0, 11, 12), rig.peer().awaitAfter(m, DisplayEvent.CursorPos.class, x -> true, 2000));
    }

    // ---------------------------------------------------------------------------------------------------------
    // fences

    /** A command with everything it needs set up, run through a driver view. */
    interface Cmd {
        Response run(GpuRig rig, GpuDriver d) throws Exception;
    }

    record Case(String name, int type, int size, Cmd cmd) {
        @Override public String toString() { return name; }
    }

    static Stream<Case> commands() {
        return Stream.of(
                new Case("GET_DISPLAY_INFO", RESP_OK_DISPLAY_INFO, RESP_DISPLAY_INFO_SIZE, (rig, d) -> d.getDisplayInfo()),
                new Case("GET_EDID", RESP_OK_EDID, RESP_EDID_SIZE, (rig, d) -> d.getEdid(0)),
                new Case("RESOURCE_CREATE_2D", RESP_OK_NODATA, 24, (rig, d) -> d.createResource(9, BGRX, 16, 16)),
                new Case("RESOURCE_UNREF", RESP_OK_NODATA, 24, (rig, d) -> d.unref(1)),
                new Case("RESOURCE_ATTACH_BACKING", RESP_OK_NODATA, 24, (rig, d) -> {
                    rig.gpu().createResource(9, BGRX, 16, 16);
                    return d.attachBacking(9, rig.gpu().allocBacking(1024));
                }),
                new Case("RESOURCE_DETACH_BACKING", RESP_OK_NODATA, 24, (rig, d) -> d.detachBacking(1)),
                new Case("TRANSFER_TO_HOST_2D", RESP_OK_NODATA, 24, (rig, d) -> d.transfer(1, 0, 0, 64, 48)),
                new Case("SET_SCANOUT", RESP_OK_NODATA, 24, (rig, d) -> d.setScanout(0, 1, 0, 0, 64, 48)),
                new Case("RESOURCE_FLUSH", RESP_OK_NODATA, 24, (rig, d) -> d.flush(1, 0, 0, 64, 48)),
                new Case("RESOURCE_ASSIGN_UUID", RESP_OK_RESOURCE_UUID, RESP_RESOURCE_UUID_SIZE, (rig, d) -> d.assignUuid(1)),
                new Case("UPDATE_CURSOR", RESP_OK_NODATA, 24, (rig, d) -> {
                    rig.gpu().createWithBacking(8, BGRA, 64, 64);
                    return d.updateCursor(0, 1, 2, 8, 0, 0);
                }),
                new Case("MOVE_CURSOR", RESP_OK_NODATA, 24, (rig, d) -> d.moveCursor(0, 3, 4, 8)),
                new Case("error: UNREF unknown", RESP_ERR_INVALID_RESOURCE_ID, 24, (rig, d) -> d.unref(4242)),
                new Case("error: unknown type", RESP_ERR_UNSPEC, 24, (rig, d) -> d.raw(header(0x0999, d.header()))),
                new Case("error: ATTACH 16385 entries", RESP_ERR_INVALID_PARAMETER, 24,
                        (rig, d) -> d.attachBackingAnnouncing(1, 16385, List.of())),
                new Case("error: CREATE_2D truncated", RESP_ERR_INVALID_PARAMETER, 24,
                        (rig, d) -> d.raw(Arrays.copyOf(createResource2d(d.header(), 9, BGRX, 8, 8), 30))),
                new Case("error: GET_EDID scanout 16", RESP_ERR_INVALID_SCANOUT_ID, 24, (rig, d) -> d.getEdid(16)),
                new Case("error: GET_EDID unanswered by QEMU", RESP_ERR_INVALID_SCANOUT_ID, 24, (rig, d) -> d.getEdid(3)));
    }

    record FencedCase(Case command, Hdr hdr) {}

    static Stream<FencedCase> fencedCommands() {
        List<FencedCase> out = new ArrayList<>();
        commands().forEach(c -> {
            out.add(new FencedCase(c, Hdr.fence(0x1122334455667788L, 0x0BADCAFE)));
            out.add(new FencedCase(c, Hdr.fence(0xFFFFFFFFFFFFFFFFL, 0xFFFFFFFF, 0xFF)));
            out.add(new FencedCase(c, new Hdr(0, 0xDEADBEEFL, 77, 5))); // unfenced with junk: nothing echoed
        });
        return out.stream();
    }
    static void fencedCommandsEchoFenceIdCtxIdAndRingIdx(GpuRig rig, Case c, Hdr h) throws Exception {
        Backing b = rig.gpu().createWithBacking(1, BGRX, 64, 48);
        b.fill((byte) 0x33);
        Response r = c.cmd().run(rig, rig.gpu().with(h));
        assertResponse(c.type(), c.size(), r, h);
    }
    static void pipelinedFencedCommandsEachEchoTheirOwnFence(GpuRig rig) throws Exception {
        rig.gpu().createWithBacking(1, BGRX, 64, 48);
        List<GpuDriver.Ticket> tickets = new ArrayList<>();
        List<Hdr> hdrs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            long fence = i % 2 == 0 ? 1000 + i : 5000 - 97L * i; // not monotonic: the device only echoes
            Hdr h = i % 2 == 0 ? Hdr.fence(fence, i) : Hdr.fence(fence, i, i % 64);
            hdrs.add(h);
            GpuDriver d = rig.gpu().with(h);
            tickets.add(i % 3 == 0 ? d.submitFlush(1, 0, 0, 64, 48) : d.submitTransfer(1, 0, 0, 64, 48));
        }
        for (int i = 0; i < tickets.size(); i++) {
            assertResponse(RESP_OK_NODATA, 24, rig.gpu().await(tickets.get(i)), hdrs.get(i));
        }
        rig.assertCleanDisplay();
    }
}
