package dev.panamavgpu.testguest.bench;

import dev.panamavgpu.testguest.driver.Commands;
import dev.panamavgpu.testguest.driver.Commands3d;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.driver.Hdr;
import dev.panamavgpu.testguest.driver.VirglStream;
import dev.panamavgpu.testguest.qemu.QemuDisplayPeer;
import java.io.IOException;

/**
 * The cost of showing a 3D resource (virgl), against the same for a 2D one, in one backend process:
 * a w×h scanout is flushed whole, frame after frame, each frame waited for until its UPDATE has
 * reached QEMU's end of the display socket (closed loop). For the 2D resource a FLUSH only marks
 * damage on pixels the backend holds; for the 3D one it reads the texture back from the GL driver
 * first (virglrenderer's transfer_read_iov), then does the same.
 */
public final class ReadbackWorkload {
    static final int BGRX = 2;

    private ReadbackWorkload() {}

    /** A 2D resource with its backing, transferred once and shown. */
    public static void show2d(BenchSession s, long id, int w, int h) throws IOException, InterruptedException {
        s.resource(id, w, h);
        s.show(id, w, h);
    }

    /** A 3D render-target texture in context 1, cleared by a submitted virgl stream, and shown. */
    public static void show3d(BenchSession s, long id, int w, int h) throws IOException, InterruptedException {
        GpuDriver g = s.gpu();
        Hdr ctx = new Hdr(0, 0, 1, 0);
        GpuDriver.expect(Commands.RESP_OK_NODATA, g.raw(Commands3d.ctxCreate(ctx, 0, "bench")), "CTX_CREATE");
        GpuDriver.expect(Commands.RESP_OK_NODATA, g.raw(Commands3d.create3d(Hdr.NONE,
                new Commands3d.Create3d(id, Commands3d.PIPE_TEXTURE_2D, BGRX,
                        Commands3d.BIND_RENDER_TARGET | Commands3d.BIND_SCANOUT, w, h, 1, 1, 0, 0, 0))), "RESOURCE_CREATE_3D");
        GpuDriver.expect(Commands.RESP_OK_NODATA, g.raw(Commands3d.ctxResource(ctx, true, id)), "CTX_ATTACH_RESOURCE");
        byte[] clear = new VirglStream().createSurface(1, id, BGRX).setFramebuffer(1).clear(0.25f, 0.5f, 0.75f, 1f).bytes();
        GpuDriver.expect(Commands.RESP_OK_NODATA, g.raw(Commands3d.submit3d(ctx, clear)), "SUBMIT_3D");
        s.show(id, w, h);
    }

    /** Nanoseconds per frame: FLUSH of the whole resource, answered, and its UPDATE received. */
    public static double nanosPerFrame(BenchSession s, long id, int w, int h, int frames) throws IOException, InterruptedException {
        GpuDriver g = s.gpu();
        QemuDisplayPeer d = s.display();
        d.awaitUpdates(Long.MAX_VALUE, 200);
        long t0 = System.nanoTime();
        for (int i = 0; i < frames; i++) {
            long before = d.updatesReceived();
            GpuDriver.expect(Commands.RESP_OK_NODATA, g.flush(id, 0, 0, w, h), "FLUSH");
            if (d.awaitUpdates(before + 1, 5_000) < before + 1) throw new IOException("no UPDATE for flush " + i);
        }
        return (System.nanoTime() - t0) / (double) frames;
    }
}
