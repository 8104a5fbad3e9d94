package dev.panamavgpu.gpu.protocol;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;

/** Test helper: builds little-endian request bytes field by field, independent of the layouts under test. */
final class Req {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Req hdr(int type) {
        return hdr(type, 0, 0, 0, 0);
    }

    static Req hdr(int type, int flags, long fenceId, int ctxId, int ringIdx) {
        return new Req().u32(type).u32(flags).u64(fenceId).u32(ctxId).u8(ringIdx).u8(0).u8(0).u8(0);
    }

    Req u8(int v) {
        out.write(v);
        return this;
    }

    Req u32(long v) {
        for (int i = 0; i < 4; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    Req u64(long v) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    Req zeros(int n) {
        for (int i = 0; i < n; i++) {
            out.write(0);
        }
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    MemorySegment segment() {
        return MemorySegment.ofArray(bytes());
    }

    /** The first {@code n} bytes only, to simulate a short request. */
    MemorySegment truncated(int n) {
        return MemorySegment.ofArray(java.util.Arrays.copyOf(bytes(), n));
    }

    static int u32At(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (b[off + 3] & 0xFF) << 24;
    }

    static long u64At(byte[] b, int off) {
        return (u32At(b, off) & 0xFFFF_FFFFL) | ((long) u32At(b, off + 4) << 32);
    }
}
