package dev.panamavgpu.testguest.bench;

import dev.panamavgpu.testguest.driver.Commands;
import dev.panamavgpu.testguest.driver.GpuDriver;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * TRANSFER_TO_HOST_2D of a whole w×h frame without any flush, against a single-thread memcpy of the same bytes
 * in this process (the physical floor of a copy from guest memory into a resource).
 */
final class TransferWorkload {
    /** Bytes per second of whole-frame transfers (each awaited before the next). */
    static double transfer(BenchSession s, long id, int w, int h, int count) throws IOException {
        GpuDriver gpu = s.gpu();
        for (int i = 0; i < 2; i++) GpuDriver.expect(Commands.RESP_OK_NODATA, gpu.transfer(id, 0, 0, w, h), "TRANSFER");
        long t0 = System.nanoTime();
        for (int i = 0; i < count; i++) GpuDriver.expect(Commands.RESP_OK_NODATA, gpu.transfer(id, 0, 0, w, h), "TRANSFER");
        return (double) w * h * 4 * count / ((System.nanoTime() - t0) / 1e9);
    }

    /** Bytes per second of {@code MemorySegment.copy} between two native buffers of w·h·4 bytes. */
    static double memcpy(int w, int h, int count) {
        long bytes = (long) w * h * 4;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment src = a.allocate(bytes, 4096), dst = a.allocate(bytes, 4096);
            src.fill((byte) 1);
            dst.fill((byte) 2);
            for (int i = 0; i < 3; i++) MemorySegment.copy(src, 0, dst, 0, bytes);
            long t0 = System.nanoTime();
            for (int i = 0; i < count; i++) MemorySegment.copy(src, 0, dst, 0, bytes);
            return (double) bytes * count / ((System.nanoTime() - t0) / 1e9);
        }
    }
}
