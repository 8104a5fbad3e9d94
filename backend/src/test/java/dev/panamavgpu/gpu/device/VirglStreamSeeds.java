package dev.panamavgpu.gpu.device;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Seeds of {@link VirglStreamFuzzTest}: valid virgl command streams (virglrenderer's
 * virgl_protocol.h: one header dword {@code cmd | object << 8 | length << 16}, then {@code length}
 * dwords) on the child's resources, so mutations start from streams the parser accepts. Each seed is
 * the format byte of {@link VirglChild#run} followed by the stream.
 */
final class VirglStreamSeeds {
    static final int CREATE_OBJECT = 1, BIND_OBJECT = 2, DESTROY_OBJECT = 3, SET_VIEWPORT_STATE = 4, SET_FRAMEBUFFER_STATE = 5,
            SET_VERTEX_BUFFERS = 6, CLEAR = 7, RESOURCE_INLINE_WRITE = 9, SET_STENCIL_REF = 13, SET_BLEND_COLOR = 14,
            SET_SCISSOR_STATE = 15, RESOURCE_COPY_REGION = 17, SET_SAMPLE_MASK = 24, SET_SUB_CTX = 28, CREATE_SUB_CTX = 29,
            DESTROY_SUB_CTX = 30;
    static final int OBJ_BLEND = 1, OBJ_RASTERIZER = 2, OBJ_DSA = 3, OBJ_VERTEX_ELEMENTS = 5, OBJ_SAMPLER_STATE = 7, OBJ_SURFACE = 8;

    private VirglStreamSeeds() {}

    /** A stream under construction. */
    static final class Stream {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Stream cmd(int cmd, int object, int... dwords) {
            dword(cmd | object << 8 | dwords.length << 16);
            for (int d : dwords) dword(d);
            return this;
        }

        private void dword(int v) { out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array()); }

        Stream surfaceAndFramebuffer(int format) {
            cmd(CREATE_OBJECT, OBJ_SURFACE, 1, VirglChild.RES_TEXTURE, format, 0, 0);
            return cmd(SET_FRAMEBUFFER_STATE, 0, 1, 0, 1);
        }

        Stream clear(float r, float g, float b, float a) {
            long depth = Double.doubleToRawLongBits(1.0);
            return cmd(CLEAR, 0, 4, f(r), f(g), f(b), f(a), (int) depth, (int) (depth >>> 32), 0);
        }

        /** The seed's bytes: the format pick, then the stream. */
        byte[] seed(int formatPick) {
            byte[] s = out.toByteArray();
            byte[] b = new byte[1 + s.length];
            b[0] = (byte) formatPick;
            System.arraycopy(s, 0, b, 1, s.length);
            return b;
        }
    }

    static int f(float v) { return Float.floatToRawIntBits(v); }

    static Map<String, byte[]> all() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        // the clear the in-process fuzzer and the conformance scenario use
        m.put("clear", new Stream().surfaceAndFramebuffer(1).clear(1, 0, 0, 1).seed(0));
        // render state objects created, bound and destroyed, then a clear under them
        m.put("state-objects", new Stream().surfaceAndFramebuffer(67)
                .cmd(CREATE_OBJECT, OBJ_BLEND, 2, 0, 0, 0xF << 27, 0, 0, 0, 0, 0, 0, 0)
                .cmd(BIND_OBJECT, OBJ_BLEND, 2)
                .cmd(CREATE_OBJECT, OBJ_RASTERIZER, 3, 1 << 1 | 1 << 14 | 1 << 29, f(1), 0, 0, f(1), 0, 0, 0)
                .cmd(BIND_OBJECT, OBJ_RASTERIZER, 3)
                .cmd(CREATE_OBJECT, OBJ_DSA, 4, 0, 0, 0, 0)
                .cmd(BIND_OBJECT, OBJ_DSA, 4)
                .cmd(CREATE_OBJECT, OBJ_SAMPLER_STATE, 5, 0, 0, 0, f(1000), 0, 0, 0, 0) // handle, S0, lod bias, min, max lod, border
                .cmd(CREATE_OBJECT, OBJ_VERTEX_ELEMENTS, 6, 0, 0, 0, 31 /* R32G32B32A32_FLOAT */)
                .cmd(BIND_OBJECT, OBJ_VERTEX_ELEMENTS, 6)
                .cmd(SET_VIEWPORT_STATE, 0, 0, f(32), f(32), f(0.5f), f(32), f(32), f(0.5f))
                .cmd(SET_SCISSOR_STATE, 0, 0, 0, 32 | 32 << 16)
                .cmd(SET_BLEND_COLOR, 0, f(0.5f), f(0.5f), f(0.5f), f(1))
                .cmd(SET_STENCIL_REF, 0, 0)
                .cmd(SET_SAMPLE_MASK, 0, -1)
                .cmd(SET_VERTEX_BUFFERS, 0, 16, 0, VirglChild.RES_BUFFER)
                .clear(0, 1, 0, 1)
                .cmd(DESTROY_OBJECT, OBJ_SAMPLER_STATE, 5)
                .cmd(DESTROY_OBJECT, OBJ_DSA, 4)
                .seed(2));
        // data written into the texture, copied within it, then a clear of a sub-context's framebuffer
        int[] write = new int[11 + 4];
        int[] head = {VirglChild.RES_TEXTURE, 0, 0, 8, 0, 0, 0, 0, 2, 2, 1};
        System.arraycopy(head, 0, write, 0, head.length);
        for (int i = 0; i < 4; i++) write[11 + i] = 0xFF00FF00;
        m.put("write-copy-subctx", new Stream()
                .cmd(RESOURCE_INLINE_WRITE, 0, write)
                .cmd(RESOURCE_COPY_REGION, 0, VirglChild.RES_TEXTURE, 0, 8, 8, 0, VirglChild.RES_TEXTURE, 0, 0, 0, 0, 2, 2, 1)
                .cmd(CREATE_SUB_CTX, 0, 1)
                .cmd(SET_SUB_CTX, 0, 1)
                .surfaceAndFramebuffer(1)
                .clear(0, 0, 1, 1)
                .cmd(SET_SUB_CTX, 0, 0)
                .cmd(DESTROY_SUB_CTX, 0, 1)
                .seed(0));
        // an opcode virglrenderer does not know: the context reports an error, the process goes on
        m.put("unknown-opcode", new Stream().surfaceAndFramebuffer(2).cmd(0xEE, 0, 0).clear(1, 1, 1, 1).seed(1));
        return m;
    }
}
