package dev.panamavgpu.testguest.conformance;

import static dev.panamavgpu.testguest.check.Expect.*;
import static dev.panamavgpu.testguest.check.ResponseChecks.*;
import static dev.panamavgpu.testguest.driver.Commands.*;

import dev.panamavgpu.testguest.driver.Backing;
import dev.panamavgpu.testguest.driver.Commands3d;
import dev.panamavgpu.testguest.driver.Commands3d.Create3d;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.driver.Hdr;
import dev.panamavgpu.testguest.driver.Response;
import dev.panamavgpu.testguest.driver.VirglStream;
import dev.panamavgpu.testguest.qemu.DisplayEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * 3D (virgl): cap sets, contexts, 3D resources, a clear submitted as a virgl command stream and
 * read back exactly, fences in order per ring, a 3D scanout reaching QEMU, and every bad id, box
 * and size answered with its error. They need a backend with 3D: ours with --virgl (QEMU's C
 * backend cannot initialise virglrenderer without a render node: "Failed to initialize virgl").
 */
public final class ThreeDScenarios {
    static final String GROUP = "3d";
    static final int BGRX = 2;
    static final long W = 64, H = 48;
    /** The clear colour (1, 0.2, 0, 1): every channel exact in 8 bits (0.2 * 255 = 51). */
    static final int CLEAR_R = 255, CLEAR_G = 51, CLEAR_B = 0;

    private ThreeDScenarios() {}

    public static List<Scenario> all() {
        List<Scenario> s = new ArrayList<>();
        Setup v = Setup.virgl3d();
        s.add(Scenario.of(GROUP, "virglIsOfferedWithTwoCapsets", v, ThreeDScenarios::virglIsOfferedWithTwoCapsets));
        s.add(Scenario.of(GROUP, "contextLifecycle", v, ThreeDScenarios::contextLifecycle));
        s.add(Scenario.of(GROUP, "resource3dLifecycle", v, ThreeDScenarios::resource3dLifecycle));
        s.add(Scenario.of(GROUP, "bytesRoundTripThroughA3dResource", v, ThreeDScenarios::bytesRoundTripThroughA3dResource));
        s.add(Scenario.of(GROUP, "submittedClearReadsBackExactly", v, ThreeDScenarios::submittedClearReadsBackExactly));
        s.add(Scenario.of(GROUP, "clearedScanoutReachesQemuExactly", v, ThreeDScenarios::clearedScanoutReachesQemuExactly));
        s.add(Scenario.of(GROUP, "fencesCompleteInOrderOnTheGlobalRing", v, rig -> fencesCompleteInOrder(rig, false)));
        s.add(Scenario.of(GROUP, "fencesCompleteInOrderOnAContextRing", v, rig -> fencesCompleteInOrder(rig, true)));
        s.add(Scenario.of(GROUP, "badContextIdsAreRefused", v, ThreeDScenarios::badContextIdsAreRefused));
        s.add(Scenario.of(GROUP, "badCreate3dIsRefused", v, ThreeDScenarios::badCreate3dIsRefused));
        s.add(Scenario.of(GROUP, "badTransfersAreRefused", v, ThreeDScenarios::badTransfersAreRefused));
        s.add(Scenario.of(GROUP, "badSubmitsAreRefusedAndTheDeviceGoesOn", v, ThreeDScenarios::badSubmitsAreRefusedAndTheDeviceGoesOn));
        s.add(Scenario.of(GROUP, "a3dResourceOverTheBudgetIsOutOfMemory", v, ThreeDScenarios::a3dResourceOverTheBudgetIsOutOfMemory));
        s.add(Scenario.of(GROUP, "resetDropsContextsAndResources", v, ThreeDScenarios::resetDropsContextsAndResources));
        return List.copyOf(s);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    static Response send(GpuRig rig, byte[] req) throws IOException {
        return rig.gpu().raw(req);
    }

    static Hdr ctx(int id) { return new Hdr(0, 0, id, 0); }

    /** A fenced request answered OK_NODATA with its fence echoed. */
    static void okFenced(GpuRig rig, Hdr h, byte[] req) throws IOException {
        assertResponse(RESP_OK_NODATA, 24, send(rig, req), h);
    }

    static void createContext(GpuRig rig, int id) throws IOException {
        assertNoData(send(rig, Commands3d.ctxCreate(ctx(id), 0, "test-guest")));
    }

    /** A 64x48 BGRX render-target texture with a packed backing, attached to context {@code ctxId}. */
    static Backing texture(GpuRig rig, int ctxId, long id) throws IOException {
        assertNoData(send(rig, Commands3d.create3d(Hdr.NONE, Create3d.texture2d(id, BGRX, W, H))));
        Backing b = rig.gpu().allocBacking(W * H * 4);
        assertNoData(rig.gpu().attachBacking(id, b));
        assertNoData(send(rig, Commands3d.ctxResource(ctx(ctxId), true, id)));
        return b;
    }

    static long[] box(long x, long y, long w, long h) { return new long[] {x, y, 0, w, h, 1}; }

    static byte[] clear(long resourceId) {
        return new VirglStream().createSurface(1, resourceId, BGRX).setFramebuffer(1).clear(1f, 0.2f, 0f, 1f).bytes();
    }

    static void assertCleared(Backing b, long x0, long y0, long w, long h) {
        for (long y = y0; y < y0 + h; y++) for (long x = x0; x < x0 + w; x++) {
            int p = b.getPixel(W * 4, x, y);
            long xx = x, yy = y;
            assertEquals(CLEAR_R << 16 | CLEAR_G << 8 | CLEAR_B, p & 0xFFFFFF,
                    () -> "pixel " + xx + "," + yy + " = 0x" + Integer.toHexString(p));
        }
    }

    // ---- scenarios -------------------------------------------------------------------------------

    static void virglIsOfferedWithTwoCapsets(GpuRig rig) throws Exception {
        assertTrue((rig.session().features() & 1) != 0, "VIRTIO_GPU_F_VIRGL is offered (a backend without 3D: run it with --virgl)");
        long[] ids = new long[2];
        for (int i = 0; i < 2; i++) {
            Response info = assertResponse(RESP_OK_CAPSET_INFO, RESP_CAPSET_INFO_SIZE, rig.gpu().getCapsetInfo(i));
            ids[i] = info.u32(24);
            long maxVersion = info.u32(28), maxSize = info.u32(32);
            assertEquals(ids[i], maxVersion, "VIRGL has version 1, VIRGL2 version 2");
            assertTrue(maxSize > 0 && maxSize < 4096, "cap set size " + maxSize);
            Response caps = rig.gpu().getCapset(ids[i], maxVersion);
            assertEquals(RESP_OK_CAPSET, caps.type(), "GET_CAPSET " + ids[i]);
            assertEquals(24 + maxSize, caps.usedLength(), "the whole cap set");
            assertEquals(maxVersion, caps.u32(24), "virgl_caps begin with their max_version");
            assertError(RESP_ERR_INVALID_PARAMETER, rig.gpu().getCapset(ids[i], maxVersion + 1));
            assertError(RESP_ERR_INVALID_PARAMETER, rig.gpu().getCapset(ids[i], 0));
        }
        assertEquals(List.of(1L, 2L), List.of(ids[0], ids[1]), "cap set ids");
        assertError(RESP_ERR_INVALID_PARAMETER, rig.gpu().getCapsetInfo(2));
        assertError(RESP_ERR_INVALID_PARAMETER, rig.gpu().getCapset(4, 1));
    }

    static void contextLifecycle(GpuRig rig) throws Exception {
        createContext(rig, 1);
        assertError(RESP_ERR_INVALID_CONTEXT_ID, send(rig, Commands3d.ctxCreate(ctx(1), 0, "again")));
        assertNoData(send(rig, Commands3d.ctxCreate(ctx(2), 2, "virgl2 by context_init")));
        assertNoData(send(rig, Commands3d.ctxDestroy(ctx(1))));
        assertError(RESP_ERR_INVALID_CONTEXT_ID, send(rig, Commands3d.ctxDestroy(ctx(1))));
        createContext(rig, 1); // the id is free again
        assertNoData(send(rig, Commands3d.ctxDestroy(ctx(1))));
        assertNoData(send(rig, Commands3d.ctxDestroy(ctx(2))));
    }

    static void resource3dLifecycle(GpuRig rig) throws Exception {
        assertNoData(send(rig, Commands3d.create3d(Hdr.NONE, Create3d.texture2d(5, BGRX, W, H))));
        assertError(RESP_ERR_INVALID_RESOURCE_ID, send(rig, Commands3d.create3d(Hdr.NONE, Create3d.texture2d(5, BGRX, 8, 8))));
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().createResource(5, BGRX, 8, 8)); // one id space with 2D
        assertNoData(rig.gpu().createResource(6, BGRX, 8, 8));
        assertError(RESP_ERR_INVALID_RESOURCE_ID, send(rig, Commands3d.create3d(Hdr.NONE, Create3d.texture2d(6, BGRX, 8, 8))));
        Backing b = rig.gpu().allocBacking(W * H * 4);
        assertNoData(rig.gpu().attachBacking(5, b));
        assertError(RESP_ERR_UNSPEC, rig.gpu().attachBacking(5, b)); // double attach
        assertNoData(rig.gpu().detachBacking(5));
        assertError(RESP_ERR_UNSPEC, rig.gpu().detachBacking(5));
        assertNoData(rig.gpu().unref(5));
        assertError(RESP_ERR_INVALID_RESOURCE_ID, rig.gpu().unref(5));
        assertNoData(send(rig, Commands3d.create3d(Hdr.NONE, new Create3d(7, Commands3d.PIPE_BUFFER, 64, 0, 4096, 1, 1, 1, 0, 0, 0))));
        assertNoData(rig.gpu().unref(7));
    }

    static void bytesRoundTripThroughA3dResource(GpuRig rig) throws Exception {
        createContext(rig, 1);
        Backing b = texture(rig, 1, 3);
        byte[] pattern = new byte[(int) (W * H * 4)];
        for (int i = 0; i < pattern.length; i++) pattern[i] = (byte) (i * 7 + 3);
        b.write(0, pattern);
        assertNoData(send(rig, Commands3d.transfer3d(ctx(1), true, 3, box(0, 0, W, H), 0, 0, 0, 0)));
        b.fill((byte) 0);
        assertNoData(send(rig, Commands3d.transfer3d(ctx(1), false, 3, box(0, 0, W, H), 0, 0, 0, 0)));
        byte[] back = b.read(0, pattern.length);
        for (int i = 0; i < pattern.length; i += 4) { // the X byte of BGRX is not kept
            int at = i;
            assertEquals(pattern[i] & 0xFF, back[i] & 0xFF, () -> "B at " + at);
            assertEquals(pattern[i + 1] & 0xFF, back[i + 1] & 0xFF, () -> "G at " + at);
            assertEquals(pattern[i + 2] & 0xFF, back[i + 2] & 0xFF, () -> "R at " + at);
        }
    }

    static void submittedClearReadsBackExactly(GpuRig rig) throws Exception {
        createContext(rig, 1);
        Backing b = texture(rig, 1, 3);
        okFenced(rig, Hdr.fence(1, 1), Commands3d.submit3d(Hdr.fence(1, 1), clear(3)));
        assertNoData(send(rig, Commands3d.transfer3d(ctx(1), false, 3, box(0, 0, W, H), 0, 0, 0, 0)));
        assertCleared(b, 0, 0, W, H);
        // a part read back lands at its own place in the backing, the rest stays as it was
        b.fill((byte) 0);
        assertNoData(send(rig, Commands3d.transfer3d(ctx(1), false, 3, box(8, 4, 16, 8), 4 * W * 4 + 8 * 4, 0, W * 4, 0)));
        assertCleared(b, 8, 4, 16, 8);
        assertEquals(0, b.getPixel(W * 4, 7, 4), "outside the box");
    }

    static void clearedScanoutReachesQemuExactly(GpuRig rig) throws Exception {
        createContext(rig, 1);
        texture(rig, 1, 3);
        assertNoData(send(rig, Commands3d.submit3d(ctx(1), clear(3))));
        int m = rig.peer().mark();
        assertNoData(rig.gpu().setScanout(0, 3, 0, 0, W, H));
        DisplayEvent.Update u = rig.peer().awaitAfter(m, DisplayEvent.Update.class, x -> x.width() == W && x.height() == H, 3000);
        assertNotNull(u, "SET_SCANOUT of a 3D resource sends its pixels: " + rig.peer().eventsSince(m));
        for (int y = 0; y < H; y++) for (int x = 0; x < W; x++) {
            int p = u.pixel(x, y) & 0xFFFFFF, xx = x, yy = y;
            assertEquals(CLEAR_R << 16 | CLEAR_G << 8 | CLEAR_B, p, () -> "UPDATE pixel " + xx + "," + yy + " = 0x" + Integer.toHexString(p));
        }
        // a second clear, then a flush of part: the UPDATE is that part, in the new colour
        byte[] blue = new VirglStream().setFramebuffer(1).clear(0f, 0f, 1f, 1f).bytes();
        assertNoData(send(rig, Commands3d.submit3d(ctx(1), blue)));
        int m2 = rig.peer().mark();
        assertNoData(rig.gpu().flush(3, 4, 2, 10, 6));
        DisplayEvent.Update f = rig.peer().awaitAfter(m2, DisplayEvent.Update.class, x -> true, 3000);
        assertNotNull(f, "RESOURCE_FLUSH of a shown 3D resource sends an UPDATE");
        assertEquals(List.of(4, 2, 10, 6), List.of(f.x(), f.y(), f.width(), f.height()), "the flushed rect");
        assertEquals(0x0000FF, f.pixel(0, 0) & 0xFFFFFF, "blue after the second clear");
        assertError(RESP_ERR_INVALID_PARAMETER, rig.gpu().flush(3, 60, 0, 10, 6));
        assertNoData(rig.gpu().unref(3)); // drops the scanout too
        rig.assertCleanDisplay();
    }

    /**
     * Fenced submits complete only after their fence, and never before an earlier fence of the same
     * ring: at every point, the completed ones are a prefix of the submitted ones.
     */
    static void fencesCompleteInOrder(GpuRig rig, boolean contextRing) throws Exception {
        createContext(rig, 1);
        texture(rig, 1, 3);
        List<GpuDriver.Ticket> tickets = new ArrayList<>();
        int n = 12;
        for (int i = 1; i <= n; i++) {
            Hdr h = contextRing ? Hdr.fence(i, 1, 0) : Hdr.fence(i, 1);
            tickets.add(rig.gpu().submit(GpuDriver.CONTROL_QUEUE, Commands3d.submit3d(h, clear(3))));
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (tickets.stream().anyMatch(t -> !t.isDone()) && System.currentTimeMillis() < deadline) {
            rig.gpu().poll(GpuDriver.CONTROL_QUEUE, 50);
            boolean gap = false;
            for (GpuDriver.Ticket t : tickets) {
                if (!t.isDone()) gap = true;
                else assertFalse(gap, "a fence completed before an earlier one of the same ring");
            }
        }
        for (int i = 0; i < n; i++) {
            Response r = tickets.get(i).response();
            assertNotNull(r, "fenced submit " + (i + 1) + " completed");
            assertEquals(RESP_OK_NODATA, r.type());
            assertEquals(i + 1, r.fenceId(), "fence id echoed");
            assertEquals(contextRing ? 3 : 1, r.flags(), "FLAG_FENCE (and INFO_RING_IDX) echoed");
        }
    }

    static void badContextIdsAreRefused(GpuRig rig) throws Exception {
        assertError(RESP_ERR_INVALID_CONTEXT_ID, send(rig, Commands3d.ctxCreate(ctx(0), 0, "zero")));
        assertError(RESP_ERR_INVALID_PARAMETER, send(rig, Commands3d.ctxCreate(ctx(1), 9, "no such capset")));
        assertError(RESP_ERR_INVALID_PARAMETER, send(rig, Commands3d.ctxCreate(ctx(1), 0x102, "flags above the capset")));
        assertError(RESP_ERR_INVALID_CONTEXT_ID, send(rig, Commands3d.ctxDestroy(ctx(7))));
        assertNoData(send(rig, Commands3d.create3d(Hdr.NONE, Create3d.texture2d(3, BGRX, W, H))));
        assertError(RESP_ERR_INVALID_CONTEXT_ID, send(rig, Commands3d.ctxResource(ctx(7), true, 3)));
        createContext(rig, 1);
        assertError(RESP_ERR_INVALID_RESOURCE_ID, send(rig, Commands3d.ctxResource(ctx(1), true, 99)));
        assertError(RESP_ERR_INVALID_RESOURCE_ID, send(rig, Commands3d.ctxResource(ctx(1), false, 99)));
        assertNoData(send(rig, Commands3d.ctxResource(ctx(1), true, 3)));
        assertNoData(send(rig, Commands3d.ctxResource(ctx(1), false, 3)));
        assertError(RESP_ERR_INVALID_CONTEXT_ID, send(rig, Commands3d.submit3d(ctx(7), clear(3))));
    }

    static void badCreate3dIsRefused(GpuRig rig) throws Exception {
        Create3d ok = Create3d.texture2d(3, BGRX, W, H);
        assertError(RESP_ERR_INVALID_RESOURCE_ID, send(rig, Commands3d.create3d(Hdr.NONE, Create3d.texture2d(0, BGRX, W, H))));
        for (Create3d bad : List.of(
                new Create3d(3, 9, BGRX, 2, W, H, 1, 1, 0, 0, 0),            // no such target
                new Create3d(3, 2, BGRX, 2, 0, H, 1, 1, 0, 0, 0),            // width 0
                new Create3d(3, 2, BGRX, 2, 16385, H, 1, 1, 0, 0, 0),        // wider than 16384
                new Create3d(3, 2, BGRX, 2, W, 0xFFFFFFFFL, 1, 1, 0, 0, 0),  // huge height
                new Create3d(3, 2, BGRX, 2, W, H, 0, 1, 0, 0, 0),            // depth 0
                new Create3d(3, 2, BGRX, 2, W, H, 1, 0, 0, 0, 0),            // array_size 0
                new Create3d(3, 2, BGRX, 2, W, H, 1, 1, 15, 0, 0),           // 16 mip levels
                new Create3d(3, 2, BGRX, 2, W, H, 1, 1, 0, 33, 0),           // 33 samples
                new Create3d(3, 0, 64, 0, 4096, 2, 1, 1, 0, 0, 0))) {        // a buffer two rows high
            assertError(RESP_ERR_INVALID_PARAMETER, send(rig, Commands3d.create3d(Hdr.NONE, bad)));
        }
        assertNoData(send(rig, Commands3d.create3d(Hdr.NONE, ok)));
    }

    static void badTransfersAreRefused(GpuRig rig) throws Exception {
        createContext(rig, 1);
        assertNoData(send(rig, Commands3d.create3d(Hdr.NONE, Create3d.texture2d(3, BGRX, W, H))));
        assertError(RESP_ERR_UNSPEC, send(rig, Commands3d.transfer3d(ctx(1), true, 3, box(0, 0, W, H), 0, 0, 0, 0))); // no backing
        Backing b = rig.gpu().allocBacking(W * H * 4);
        assertNoData(rig.gpu().attachBacking(3, b));
        assertNoData(send(rig, Commands3d.ctxResource(ctx(1), true, 3)));
        assertError(RESP_ERR_INVALID_RESOURCE_ID, send(rig, Commands3d.transfer3d(ctx(1), true, 99, box(0, 0, W, H), 0, 0, 0, 0)));
        assertError(RESP_ERR_INVALID_CONTEXT_ID, send(rig, Commands3d.transfer3d(ctx(7), true, 3, box(0, 0, W, H), 0, 0, 0, 0)));
        for (long[] bad : List.of(box(1, 0, W, H), box(0, 1, W, H), new long[] {0, 0, 1, W, H, 1}, box(0xFFFFFFFFL, 0, 2, 1),
                box(0, 0, W + 1, 1))) {
            assertError(RESP_ERR_INVALID_PARAMETER, send(rig, Commands3d.transfer3d(ctx(1), false, 3, bad, 0, 0, 0, 0)));
        }
        assertError(RESP_ERR_INVALID_PARAMETER, send(rig, Commands3d.transfer3d(ctx(1), true, 3, box(0, 0, W, H), 0, 1, 0, 0))); // level 1
        assertError(RESP_ERR_INVALID_PARAMETER, send(rig, Commands3d.transfer3d(ctx(1), true, 3, box(0, 0, W, H), 4, 0, 0, 0))); // 4 bytes short
        assertError(RESP_ERR_INVALID_PARAMETER, send(rig, Commands3d.transfer3d(ctx(1), true, 3, box(0, 0, W, H), -1L, 0, 0, 0))); // offset 2^64-1
        assertError(RESP_ERR_INVALID_PARAMETER, send(rig, Commands3d.transfer3d(ctx(1), true, 3, box(0, 0, W, 2), 0, 0, 0xFFFFFFFFL, 0))); // stride
        assertNoData(send(rig, Commands3d.transfer3d(ctx(1), true, 3, box(0, 0, W, H), 0, 0, 0, 0)));
    }

    static void badSubmitsAreRefusedAndTheDeviceGoesOn(GpuRig rig) throws Exception {
        createContext(rig, 1);
        Backing b = texture(rig, 1, 3);
        assertError(RESP_ERR_INVALID_PARAMETER, send(rig, Commands3d.submit3d(ctx(1), new byte[16], 256 * 1024 + 4))); // above the bound
        assertError(RESP_ERR_INVALID_PARAMETER, send(rig, Commands3d.submit3d(ctx(1), new byte[16], 64)));            // more than sent
        assertError(RESP_ERR_INVALID_PARAMETER, send(rig, Commands3d.submit3d(ctx(1), new VirglStream().bogus().bytes())));
        // fenced and refused: answered at once (no fence is created), the fence fields echoed
        assertResponse(RESP_ERR_INVALID_PARAMETER, 24, send(rig, Commands3d.submit3d(Hdr.fence(5, 1), new VirglStream().bogus().bytes())), Hdr.fence(5, 1));
        assertNoData(send(rig, Commands3d.submit3d(ctx(1), new byte[0])));
        // still rendering
        okFenced(rig, Hdr.fence(6, 1), Commands3d.submit3d(Hdr.fence(6, 1), clear(3)));
        assertNoData(send(rig, Commands3d.transfer3d(ctx(1), false, 3, box(0, 0, W, H), 0, 0, 0, 0)));
        assertCleared(b, 0, 0, W, H);
    }

    static void a3dResourceOverTheBudgetIsOutOfMemory(GpuRig rig) throws Exception {
        // 16384 x 16384 x 4 bytes with its mip chain: 1.33 GiB, over the default --max-total of 1 GiB
        assertError(RESP_ERR_OUT_OF_MEMORY, send(rig, Commands3d.create3d(Hdr.NONE,
                new Create3d(3, 2, BGRX, 2, 16384, 16384, 1, 1, 14, 0, 0))));
        assertNoData(send(rig, Commands3d.create3d(Hdr.NONE, Create3d.texture2d(3, BGRX, W, H)))); // the guest goes on
        createContext(rig, 1);
    }

    static void resetDropsContextsAndResources(GpuRig rig) throws Exception {
        createContext(rig, 1);
        texture(rig, 1, 3);
        rig.resetDevice();
        rig.attachPeer();
        createContext(rig, 1); // the same ids are free again
        texture(rig, 1, 3);
        okFenced(rig, Hdr.fence(1, 1), Commands3d.submit3d(Hdr.fence(1, 1), clear(3)));
    }
}
