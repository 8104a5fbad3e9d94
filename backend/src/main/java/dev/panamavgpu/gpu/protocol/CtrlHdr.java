package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code struct virtio_gpu_ctrl_hdr} (24 bytes), the prefix of every request and response.
 *
 * @param type     command or response code ({@link VirtioGpuType})
 * @param flags    {@link VirtioGpu#FLAG_FENCE}, {@link VirtioGpu#FLAG_INFO_RING_IDX}; other bits kept as sent
 * @param fenceId  u64, raw bits (compare with {@link Long#compareUnsigned})
 * @param ctxId    u32
 * @param ringIdx  u8
 */
public record CtrlHdr(int type, int flags, long fenceId, long ctxId, int ringIdx) {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            Wire.LE32.withName("type"),
            Wire.LE32.withName("flags"),
            Wire.LE64.withName("fence_id"),
            Wire.LE32.withName("ctx_id"),
            Wire.U8.withName("ring_idx"),
            MemoryLayout.paddingLayout(3));

    public static final long TYPE = Wire.offset(LAYOUT, "type");
    public static final long FLAGS = Wire.offset(LAYOUT, "flags");
    public static final long FENCE_ID = Wire.offset(LAYOUT, "fence_id");
    public static final long CTX_ID = Wire.offset(LAYOUT, "ctx_id");
    public static final long RING_IDX = Wire.offset(LAYOUT, "ring_idx");
    public static final long SIZE = LAYOUT.byteSize();

    /** What a response echoes when the request header could not be read. */
    public static final CtrlHdr ZERO = new CtrlHdr(0, 0, 0, 0, 0);

    public CtrlHdr {
        Wire.requireU32(ctxId, "ctxId");
        if (ringIdx < 0 || ringIdx > 0xFF) {
            throw new IllegalArgumentException("ringIdx is not a u8: " + ringIdx);
        }
    }

    /** Reads a header; the caller guarantees {@link #SIZE} bytes at {@code offset}. */
    public static CtrlHdr read(MemorySegment s, long offset) {
        return new CtrlHdr(
                s.get(Wire.LE32, offset + TYPE),
                s.get(Wire.LE32, offset + FLAGS),
                s.get(Wire.LE64, offset + FENCE_ID),
                Wire.le32(s, offset + CTX_ID),
                Byte.toUnsignedInt(s.get(Wire.U8, offset + RING_IDX)));
    }

    /** Writes all 24 bytes, padding included as zero. */
    public void write(MemorySegment s, long offset) {
        s.asSlice(offset, SIZE).fill((byte) 0);
        s.set(Wire.LE32, offset + TYPE, type);
        s.set(Wire.LE32, offset + FLAGS, flags);
        s.set(Wire.LE64, offset + FENCE_ID, fenceId);
        Wire.putLe32(s, offset + CTX_ID, ctxId);
        s.set(Wire.U8, offset + RING_IDX, (byte) ringIdx);
    }

    public boolean isFenced() {
        return (flags & VirtioGpu.FLAG_FENCE) != 0;
    }

    public boolean hasRingIdx() {
        return (flags & VirtioGpu.FLAG_INFO_RING_IDX) != 0;
    }

    @Override
    public String toString() {
        return "CtrlHdr[" + VirtioGpuType.name(type) + ", flags=0x" + Integer.toHexString(flags)
                + ", fenceId=" + Long.toUnsignedString(fenceId) + ", ctxId=" + ctxId + ", ringIdx=" + ringIdx + "]";
    }
}
