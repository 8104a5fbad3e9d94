package dev.panamavgpu.gpu.device;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.panamavgpu.ffm.Virglrenderer;
import dev.panamavgpu.gpu.display.DamageRect;
import dev.panamavgpu.gpu.display.DamageSource;
import dev.panamavgpu.gpu.display.DisplayChannel;
import dev.panamavgpu.gpu.protocol.CtrlHdr;
import dev.panamavgpu.gpu.protocol.GpuCommand;
import dev.panamavgpu.gpu.protocol.GpuResponse;
import dev.panamavgpu.gpu.protocol.VirtioGpuType;
import dev.panamavgpu.gpu.virgl.Renderer;
import dev.panamavgpu.memory.MemoryLimits;
import dev.panamavgpu.memory.MemoryManager;
import dev.panamavgpu.vhostuser.loop.EventLoop;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 3D resources against the budget, with the real renderer: charged by host size at create, shown
 * in the figures (bytes_3d, resources_3d), refused past --max-total with the guest going on, and
 * given back by UNREF and by a reset.
 */
class Gpu3dMemoryTest {
    static final GpuLimits LIMITS = GpuLimits.defaults();

    @Test
    void chargedByHostSizeRefusedPastTheBudgetAndGivenBack() throws Exception {
        assumeTrue(Virglrenderer.available(), () -> "skipped: " + Virglrenderer.unavailableReason());
        Renderer renderer = Renderer.shared(null);
        LinkedBlockingQueue<Runnable> back = new LinkedBlockingQueue<>();
        MemoryManager memory = new MemoryManager(new MemoryLimits(8L << 20, 16L << 20, Path.of("/var/tmp")));
        try (EventLoop loop = new EventLoop()) {
            Gpu2d[] g2 = {null};
            DisplayChannel display = new DisplayChannel(loop, new DamageSource() {
                @Override public boolean render(int id, DamageRect r, MemorySegment out) { return g2[0].render(id, r, out); }
                @Override public MemorySegment[] directRows(int id, DamageRect r) { return g2[0].directRows(id, r); }
            });
            g2[0] = new Gpu2d(LIMITS, memory, display);
            Gpu3d g = new Gpu3d(renderer, back::add, memory, g2[0], LIMITS, () -> false);
            GpuCommand.ResourceCreate3d small = new GpuCommand.ResourceCreate3d(1, 2, 2, 2, 1024, 768, 1, 1, 0, 0, 0);
            assertEquals(GpuResponse.OkNoData.class, run(g, back, small).getClass());
            assertEquals(1024 * 768 * 4, g.bytes());
            assertEquals(1, g.resourceCount());
            assertEquals(1024 * 768 * 4, memory.figures().tables(), "charged to both budgets, as host GL memory");
            GpuFigures f = new GpuFigures(memory.figures(), 0, 0, 0, 0, null, 0, g.resourceCount(), g.bytes(), g.contextCount());
            assertTrue(f.text().contains("bytes_3d 3145728\n"), f.text());
            assertTrue(f.text().contains("resources_3d 1\n"), f.text());

            // 2048 x 2048 x 4 = 16 MiB: over the 16 MiB total with the first one charged
            GpuResponse over = run(g, back, new GpuCommand.ResourceCreate3d(2, 2, 2, 2, 2048, 2048, 1, 1, 0, 0, 0));
            assertEquals(new GpuResponse.Err(VirtioGpuType.RESP_ERR_OUT_OF_MEMORY), over);
            assertEquals(1, g.resourceCount());
            assertEquals(GpuResponse.OkNoData.class, run(g, back, new GpuCommand.ResourceCreate3d(3, 2, 2, 2, 64, 64, 1, 1, 0, 0, 0)).getClass());

            assertEquals(GpuResponse.OkNoData.class, run(g, back, new GpuCommand.ResourceUnref(1)).getClass());
            assertEquals(64 * 64 * 4, g.bytes());
            g.close(); // a reset: everything given back at once
            g2[0].reset();
            assertEquals(0, memory.figures().total());
            drain(renderer, back);
            display.close();
        } finally {
            memory.close();
        }
    }

    private static GpuResponse run(Gpu3d g, LinkedBlockingQueue<Runnable> back, GpuCommand c) throws Exception {
        GpuResponse[] r = {null};
        g.execute(CtrlHdr.ZERO, c, x -> r[0] = x);
        while (r[0] == null) {
            Runnable t = back.poll(10, TimeUnit.SECONDS);
            assertNotNull(t, "no answer from the renderer thread");
            t.run();
        }
        return r[0];
    }

    private static void drain(Renderer renderer, LinkedBlockingQueue<Runnable> back) throws Exception {
        boolean[] done = {false};
        renderer.submit(() -> back.add(() -> done[0] = true));
        while (!done[0]) back.poll(10, TimeUnit.SECONDS).run();
    }
}
