package dev.panamavgpu.testguest.vncbench;

import dev.panamavgpu.testguest.bench.BenchSession;
import dev.panamavgpu.testguest.driver.Commands;
import dev.panamavgpu.testguest.driver.GpuDriver;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-JVM guest: two w×h BGRX buffers with different pictures, shown in turn as a page-flipping guest
 * does (whole-frame TRANSFER, SET_SCANOUT, FLUSH, each awaited), so every frame changes every pixel and a
 * server that compares pictures (QEMU's) would see the same change as one that tracks damage (ours).
 */
final class FlipLoop implements GuestRate, AutoCloseable {
    private final BenchSession s;
    private final long[] ids;
    private final int w, h;
    private final AtomicLong frames = new AtomicLong();
    private Thread thread;
    private volatile boolean stop;
    private volatile Exception failure;

    FlipLoop(BenchSession s, long firstId, int w, int h) throws IOException, InterruptedException {
        this.s = s;
        this.w = w;
        this.h = h;
        ids = new long[] {firstId, firstId + 1};
        s.resource(ids[0], w, h); // BenchSession's picture, = picture(0, x, y)
        var b = s.resource(ids[1], w, h);
        b.fillPixels(w, h, w * 4L, (x, y) -> picture(1, x, y));
        s.show(ids[0], w, h);
    }

    /** The 0xRRGGBB colour of buffer {@code which} (0 or 1) at (x, y). */
    static int picture(int which, int x, int y) {
        int base = (x * 5) ^ (y << 8);
        return (which == 0 ? base ^ 0x00406080 : ~base) & 0xffffff;
    }

    void start() {
        thread = Thread.ofPlatform().daemon().name("bench-guest").start(this::run);
    }

    private void run() {
        GpuDriver gpu = s.gpu();
        try {
            for (long i = 1; !stop; i++) {
                long id = ids[(int) (i & 1)];
                GpuDriver.Ticket tr = gpu.submitTransfer(id, 0, 0, w, h);
                GpuDriver.expect(Commands.RESP_OK_NODATA, gpu.await(tr), "TRANSFER");
                GpuDriver.expect(Commands.RESP_OK_NODATA, gpu.setScanout(0, id, 0, 0, w, h), "SET_SCANOUT");
                GpuDriver.expect(Commands.RESP_OK_NODATA, gpu.flush(id, 0, 0, w, h), "FLUSH");
                frames.incrementAndGet();
            }
        } catch (Exception e) {
            if (!stop) failure = e;
        }
    }

    /** Frames the guest completed (FLUSH answered) so far, on the harness's clock. */
    @Override
    public Mark mark() throws IOException {
        if (failure != null) throw new IOException("guest loop failed: " + failure.getMessage(), failure);
        return new Mark(frames.get(), System.nanoTime() / 1e9);
    }

    /** Stops after the frame in flight; returns which buffer (0 or 1, see {@link #picture}) the screen shows. */
    int stopAndJoin() throws InterruptedException {
        stop = true;
        if (thread != null) thread.join(10_000);
        return (int) (frames.get() & 1);
    }

    @Override
    public void close() throws InterruptedException {
        stopAndJoin();
    }
}
