package dev.panamavgpu.testguest.bench;

import dev.panamavgpu.testguest.driver.Commands;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.qemu.QemuDisplayPeer;
import java.io.IOException;

/**
 * Full frames: TRANSFER + FLUSH of the whole w×h XRGB resource on scanout 0, frame after frame (the guest waits
 * for each FLUSH's completion, as a page flip does). Counted is what reaches QEMU's end of the display socket,
 * read as fast as the harness can: frames a backend merges (damage coalescing) are not delivered.
 */
final class FrameWorkload {
    /** @param seconds from the first submit to the last UPDATE read */
    record Result(long frames, long bytes, double seconds) {
        double fps() { return frames / seconds; }
        double gigabytesPerSecond() { return bytes / seconds / 1e9; }
    }

    static Result run(BenchSession s, long id, int w, int h, int frames) throws IOException, InterruptedException {
        s.resource(id, w, h);
        s.show(id, w, h);
        QemuDisplayPeer d = s.display();
        d.awaitUpdates(Long.MAX_VALUE, 200); // the first picture is through
        long updates0 = d.updatesReceived(), bytes0 = d.updateBytesReceived();
        GpuDriver gpu = s.gpu();
        long t0 = System.nanoTime();
        for (int i = 0; i < frames; i++) {
            GpuDriver.Ticket tr = gpu.submitTransfer(id, 0, 0, w, h);
            GpuDriver.Ticket fl = gpu.submitFlush(id, 0, 0, w, h);
            GpuDriver.expect(Commands.RESP_OK_NODATA, gpu.await(tr), "TRANSFER");
            GpuDriver.expect(Commands.RESP_OK_NODATA, gpu.await(fl), "FLUSH");
        }
        d.awaitUpdates(updates0 + frames, 1_000);
        long n = d.updatesReceived() - updates0;
        if (n == 0) throw new IOException("no UPDATE reached the display socket for " + frames + " flushes of " + w + "x" + h);
        return new Result(n, d.updateBytesReceived() - bytes0, (d.lastUpdateNanos() - t0) / 1e9);
    }
}
