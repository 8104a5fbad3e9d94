package dev.panamavgpu.gpu.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panamavgpu.gpu.protocol.GpuCommand.ResourceCreate3d;
import org.junit.jupiter.api.Test;

/** What a 3D resource is charged against --max-total (Checks3d.hostBytes, docs/memory.md). */
class Gpu3dChargeTest {
    private static ResourceCreate3d tex(int target, long format, long w, long h, long d, long layers, long lastLevel, long samples) {
        return new ResourceCreate3d(1, target, format, 2, w, h, d, layers, lastLevel, samples, 0);
    }

    @Test
    void aScanoutSizedTextureCostsItsPixels() {
        assertEquals(1920L * 1080 * 4, Checks3d.hostBytes(tex(2, 2, 1920, 1080, 1, 1, 0, 0)));
    }

    @Test
    void mipLevelsLayersAndSamplesAddUp() {
        // 8x8 + 4x4 + 2x2 + 1x1 texels of 4 bytes, 3 layers, 4 samples
        assertEquals((64 + 16 + 4 + 1) * 4L * 3 * 4, Checks3d.hostBytes(tex(7, 1, 8, 8, 1, 3, 3, 4)));
        // a 3D texture halves its depth per level too: 4x4x4 + 2x2x2 + 1
        assertEquals((64 + 8 + 1) * 4L, Checks3d.hostBytes(tex(3, 2, 4, 4, 4, 1, 2, 0)));
    }

    @Test
    void unknownFormatsAreChargedAtTheWidestTexelAndBuffersByteForByte() {
        assertEquals(16L * 16 * 16, Checks3d.hostBytes(tex(2, 9999, 16, 16, 1, 1, 0, 0)));
        assertEquals(4096, Checks3d.hostBytes(tex(0, 64, 4096, 1, 1, 1, 0, 0)));
    }

    @Test
    void anOverflowIsRefusedNotWrapped() {
        assertEquals(-1, Checks3d.hostBytes(tex(2, 9999, 0xFFFFFFFFL, 0xFFFFFFFFL, 0xFFFFFFFFL, 0xFFFFFFFFL, 0, 0xFFFFFFFFL)));
    }
}
