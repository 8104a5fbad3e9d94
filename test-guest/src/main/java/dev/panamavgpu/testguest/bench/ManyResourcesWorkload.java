package dev.panamavgpu.testguest.bench;

import dev.panamavgpu.testguest.driver.Commands;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.driver.Hdr;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Many small resources alive at once: create N 16x16 BGRX resources, attach each its own 1 KiB backing, transfer
 * each, unref all; commands pipelined on the control queue. Returns the elapsed nanoseconds.
 */
final class ManyResourcesWorkload {
    static final int SIZE = 16, BYTES = SIZE * SIZE * 4;

    static long run(BenchSession s, int n, Progress progress) throws IOException {
        GpuDriver gpu = s.gpu();
        long base = gpu.ram().alloc((long) n * BYTES, 4096);
        gpu.ram().at(base, (long) n * BYTES).fill((byte) 0x33);
        long t0 = System.nanoTime();
        phase(gpu, n, "CREATE_2D", i -> Commands.createResource2d(Hdr.NONE, i, BenchSession.BGRX, SIZE, SIZE), progress);
        phase(gpu, n, "ATTACH_BACKING", i -> Commands.concat(Commands.attachHead(Hdr.NONE, i, 1),
                Commands.memEntries(List.of(new Commands.MemEntry(base + (i - 1) * BYTES, BYTES)))), progress);
        phase(gpu, n, "TRANSFER", i -> Commands.transfer(Hdr.NONE, i, 0, 0, SIZE, SIZE, 0), progress);
        phase(gpu, n, "UNREF", i -> Commands.unref(Hdr.NONE, i), progress);
        return System.nanoTime() - t0;
    }

    interface Request {
        byte[] build(long id);
    }

    private static void phase(GpuDriver gpu, int n, String what, Request r, Progress progress) throws IOException {
        progress.update("many resources: " + what + " x" + n);
        List<GpuDriver.Ticket> inflight = new ArrayList<>();
        for (long i = 1; i <= n; i++) {
            inflight.add(gpu.submit(GpuDriver.CONTROL_QUEUE, r.build(i)));
            if (inflight.size() >= 16) drain(gpu, inflight, what);
        }
        drain(gpu, inflight, what);
    }

    private static void drain(GpuDriver gpu, List<GpuDriver.Ticket> inflight, String what) throws IOException {
        for (GpuDriver.Ticket t : inflight) GpuDriver.expect(Commands.RESP_OK_NODATA, gpu.await(t), what);
        inflight.clear();
    }
}
