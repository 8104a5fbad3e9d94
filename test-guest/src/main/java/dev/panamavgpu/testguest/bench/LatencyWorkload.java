package dev.panamavgpu.testguest.bench;

import dev.panamavgpu.testguest.driver.Commands;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.driver.Hdr;
import java.io.IOException;

/**
 * Round trip of a small fenced TRANSFER_TO_HOST_2D + RESOURCE_FLUSH (64x64 on scanout 0): both queued back to
 * back as the Linux driver does, one kick each; the sample is from before the first submit to seeing the
 * FLUSH's used entry.
 */
final class LatencyWorkload {
    static final int ID = 100, SIZE = 64;

    /** Nanosecond samples, one per pair. */
    static long[] run(BenchSession s, int warmup, int pairs, Progress progress) throws IOException, InterruptedException {
        s.resource(ID, SIZE, SIZE);
        s.show(ID, SIZE, SIZE);
        GpuDriver gpu = s.gpu();
        for (int i = 0; i < warmup; i++) pair(gpu, i);
        long[] samples = new long[pairs];
        for (int i = 0; i < pairs; i++) {
            long t0 = System.nanoTime();
            pair(gpu, warmup + i);
            samples[i] = System.nanoTime() - t0;
            if ((i & 4095) == 0) progress.update("latency " + i + "/" + pairs);
        }
        return samples;
    }

    private static void pair(GpuDriver gpu, long n) throws IOException {
        GpuDriver t = gpu.with(Hdr.fence(2 * n + 1, 0));
        GpuDriver f = gpu.with(Hdr.fence(2 * n + 2, 0));
        GpuDriver.Ticket tr = t.submitTransfer(ID, 0, 0, SIZE, SIZE);
        GpuDriver.Ticket fl = f.submitFlush(ID, 0, 0, SIZE, SIZE);
        GpuDriver.expect(Commands.RESP_OK_NODATA, gpu.await(tr), "fenced TRANSFER");
        GpuDriver.expect(Commands.RESP_OK_NODATA, gpu.await(fl), "fenced FLUSH");
    }
}
