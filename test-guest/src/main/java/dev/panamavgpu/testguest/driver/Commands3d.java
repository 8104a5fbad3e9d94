package dev.panamavgpu.testguest.driver;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Request encodings of the 3D commands (virgl), byte for byte as in linux/virtio_gpu.h, written
 * independently of the backend's layouts (like {@link Commands}).
 */
public final class Commands3d {
    public static final int CTX_CREATE = 0x0200, CTX_DESTROY = 0x0201, CTX_ATTACH_RESOURCE = 0x0202, CTX_DETACH_RESOURCE = 0x0203;
    public static final int RESOURCE_CREATE_3D = 0x0204, TRANSFER_TO_HOST_3D = 0x0205, TRANSFER_FROM_HOST_3D = 0x0206, SUBMIT_3D = 0x0207;
    /** gallium's pipe_texture_target values used here. */
    public static final int PIPE_BUFFER = 0, PIPE_TEXTURE_2D = 2, PIPE_TEXTURE_3D = 3;
    /** virgl bind flags: render target, sampler view, scanout. */
    public static final int BIND_RENDER_TARGET = 1 << 1, BIND_SAMPLER_VIEW = 1 << 3, BIND_SCANOUT = 1 << 18;

    private Commands3d() {}

    /** virtio_gpu_ctx_create (96 bytes): nlen, context_init, debug_name[64]. The context id is the header's. */
    public static byte[] ctxCreate(Hdr h, long contextInit, String name) {
        ByteBuffer b = Commands.start(96, CTX_CREATE, h);
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        int len = Math.min(n.length, 64);
        b.putInt(24, len);
        b.putInt(28, (int) contextInit);
        b.put(32, n, 0, len);
        return b.array();
    }

    public static byte[] ctxDestroy(Hdr h) {
        return Commands.header(CTX_DESTROY, h);
    }

    /** virtio_gpu_ctx_resource (32 bytes). */
    public static byte[] ctxResource(Hdr h, boolean attach, long resourceId) {
        ByteBuffer b = Commands.start(32, attach ? CTX_ATTACH_RESOURCE : CTX_DETACH_RESOURCE, h);
        b.putInt(24, (int) resourceId);
        return b.array();
    }

    /** The fields of virtio_gpu_resource_create_3d after the header, in order. */
    public record Create3d(long resourceId, int target, int format, int bind, long width, long height, long depth,
                           long arraySize, long lastLevel, long nrSamples, int flags) {
        /** A 2D texture of one level, one layer. */
        public static Create3d texture2d(long id, int format, long width, long height) {
            return new Create3d(id, PIPE_TEXTURE_2D, format, BIND_RENDER_TARGET | BIND_SAMPLER_VIEW, width, height, 1, 1, 0, 0, 0);
        }
    }

    /** virtio_gpu_resource_create_3d (72 bytes). */
    public static byte[] create3d(Hdr h, Create3d c) {
        ByteBuffer b = Commands.start(72, RESOURCE_CREATE_3D, h);
        long[] v = {c.resourceId(), c.target(), c.format(), c.bind(), c.width(), c.height(), c.depth(), c.arraySize(),
                c.lastLevel(), c.nrSamples(), c.flags()};
        for (int i = 0; i < v.length; i++) b.putInt(24 + 4 * i, (int) v[i]);
        return b.array();
    }

    /** virtio_gpu_transfer_host_3d (72 bytes): box x,y,z,w,h,d; offset; resource_id, level, stride, layer_stride. */
    public static byte[] transfer3d(Hdr h, boolean toHost, long resourceId, long[] box, long offset, long level, long stride, long layerStride) {
        ByteBuffer b = Commands.start(72, toHost ? TRANSFER_TO_HOST_3D : TRANSFER_FROM_HOST_3D, h);
        for (int i = 0; i < 6; i++) b.putInt(24 + 4 * i, (int) box[i]);
        b.putLong(48, offset);
        b.putInt(56, (int) resourceId);
        b.putInt(60, (int) level);
        b.putInt(64, (int) stride);
        b.putInt(68, (int) layerStride);
        return b.array();
    }

    /** virtio_gpu_cmd_submit (32 bytes) followed by the command stream; {@code size} as announced (may lie). */
    public static byte[] submit3d(Hdr h, byte[] commands, long size) {
        ByteBuffer b = Commands.start(32 + commands.length, SUBMIT_3D, h);
        b.putInt(24, (int) size);
        b.put(32, commands);
        return b.array();
    }

    public static byte[] submit3d(Hdr h, byte[] commands) {
        return submit3d(h, commands, commands.length);
    }
}
