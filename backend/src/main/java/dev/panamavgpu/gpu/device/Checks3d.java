package dev.panamavgpu.gpu.device;

import static dev.panamavgpu.gpu.protocol.VirtioGpuType.*;

import dev.panamavgpu.gpu.protocol.Box3d;
import dev.panamavgpu.gpu.protocol.GpuCommand;
import dev.panamavgpu.gpu.protocol.GpuResponse;

/**
 * What a 3D command must pass before virglrenderer sees it, as pure functions of the command and
 * the device's books: the guest's mistakes become error responses here, not calls into C. Also
 * what a 3D resource is charged (docs/memory.md).
 */
final class Checks3d {
    static final long MAX_BUFFER_BYTES = 1L << 28, MAX_DEPTH = 2048, MAX_LEVELS = 15, MAX_SAMPLES = 32;
    static final int PIPE_BUFFER = 0, PIPE_TEXTURE_3D = 3, PIPE_MAX_TARGET = 8;

    private Checks3d() {}

    private static GpuResponse err(int code) { return new GpuResponse.Err(code); }

    /** Bytes per texel used for charging: exact for the formats listed, 16 (the widest uncompressed) otherwise. */
    static long bytesPerTexel(long virglFormat) {
        return switch ((int) virglFormat) {
            case 1, 2, 3, 4, 67, 68, 121, 134 -> 4; // the 32-bit RGBA orders virtio-gpu names
            case 7, 8, 9 -> 2;                       // B5G6R5, B5G5R5A1, B4G4R4A4
            case 64 -> 1;                            // R8_UNORM (buffers)
            default -> 16;
        };
    }

    /**
     * The host bytes a resource costs, as charged: every mip level (each half the size of the one
     * before, at least 1) of width x height x depth x array_size texels, times the samples. An
     * overflow is reported as -1 (the caller refuses the resource).
     */
    static long hostBytes(GpuCommand.ResourceCreate3d c) {
        try {
            long bpp = bytesPerTexel(c.format()), total = 0;
            for (long l = 0; l <= c.lastLevel(); l++) {
                long w = Math.max(1, c.width() >> l), h = Math.max(1, c.height() >> l);
                long d = c.target() == PIPE_TEXTURE_3D ? Math.max(1, c.depth() >> l) : c.depth();
                long level = Math.multiplyExact(Math.multiplyExact(Math.multiplyExact(w, h), Math.multiplyExact(d, c.arraySize())), bpp);
                total = Math.addExact(total, level);
            }
            return Math.multiplyExact(total, Math.max(1, c.nrSamples()));
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    /** The checks RESOURCE_CREATE_3D passes before virglrenderer sees it; null when it does. */
    static GpuResponse refuseCreate(GpuCommand.ResourceCreate3d c, boolean idTaken, int resourceCount, GpuLimits limits) {
        if (c.resourceId() == 0 || idTaken) return err(RESP_ERR_INVALID_RESOURCE_ID);
        if (c.target() > PIPE_MAX_TARGET || c.width() == 0 || c.height() == 0 || c.depth() == 0 || c.arraySize() == 0)
            return err(RESP_ERR_INVALID_PARAMETER);
        if (c.target() == PIPE_BUFFER) {
            if (c.width() > MAX_BUFFER_BYTES || c.height() != 1 || c.depth() != 1 || c.arraySize() != 1 || c.lastLevel() != 0)
                return err(RESP_ERR_INVALID_PARAMETER);
        } else if (c.width() > limits.maxResourceDimension() || c.height() > limits.maxResourceDimension()) {
            return err(RESP_ERR_INVALID_PARAMETER);
        }
        if (c.depth() > MAX_DEPTH || c.arraySize() > MAX_DEPTH || c.lastLevel() >= MAX_LEVELS || c.nrSamples() > MAX_SAMPLES)
            return err(RESP_ERR_INVALID_PARAMETER);
        if (resourceCount >= limits.maxResources()) return err(RESP_ERR_OUT_OF_MEMORY);
        return null;
    }

    /** The extent of {@code level} along z: depth for 3D textures, layers (array_size) otherwise. */
    static long layers(GpuCommand.ResourceCreate3d d, long level) {
        return d.target() == PIPE_TEXTURE_3D ? Math.max(1, d.depth() >> level) : d.arraySize();
    }

    /** The checks a transfer passes before virglrenderer sees it; null when it does. */
    static GpuResponse refuseTransfer(GpuCommand.Transfer3d t, Resource3d r, boolean ctxKnown) {
        if (r == null) return err(RESP_ERR_INVALID_RESOURCE_ID);
        if (!ctxKnown) return err(RESP_ERR_INVALID_CONTEXT_ID);
        GpuCommand.ResourceCreate3d d = r.desc;
        if (t.level() > d.lastLevel()) return err(RESP_ERR_INVALID_PARAMETER);
        Box3d b = t.box();
        long w = Math.max(1, d.width() >> t.level()), h = Math.max(1, d.height() >> t.level());
        if (b.x() + b.w() > w || b.y() + b.h() > h || b.z() + b.d() > layers(d, t.level())) return err(RESP_ERR_INVALID_PARAMETER);
        if (r.backing == null || !r.backing.usable()) return err(RESP_ERR_UNSPEC);
        if (Long.compareUnsigned(t.offset(), r.backing.length()) > 0) return err(RESP_ERR_INVALID_PARAMETER);
        long bpp = bytesPerTexel(d.format());
        if (bpp != 16 && b.w() > 0 && b.h() > 0 && b.d() > 0) { // a format we know: check the bytes the box needs
            try {
                long stride = t.stride() != 0 ? t.stride() : Math.multiplyExact(b.w(), bpp);
                long layer = t.layerStride() != 0 ? t.layerStride() : Math.multiplyExact(stride, b.h());
                long need = Math.addExact(Math.addExact(Math.multiplyExact(layer, b.d() - 1), Math.multiplyExact(stride, b.h() - 1)),
                        Math.multiplyExact(b.w(), bpp));
                if (Math.addExact(t.offset(), need) > r.backing.length()) return err(RESP_ERR_INVALID_PARAMETER);
            } catch (ArithmeticException e) {
                return err(RESP_ERR_INVALID_PARAMETER);
            }
        }
        return null;
    }
}
