package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.OptionalInt;

/**
 * Writes {@link GpuResponse}s into the device-writable part of a descriptor chain.
 *
 * <p>The whole response struct is zero-filled before the fields are written, so padding, unused pmodes, the EDID
 * tail and every field a handler did not set reach the guest as zero, never as stale host bytes
 * (CVE-2016-9845 / CVE-2021-3545 pattern).
 *
 * <p>Fence echo follows QEMU's {@code virtio_gpu_ctrl_response}: if the request had FLAG_FENCE, the response gets
 * FLAG_FENCE, fence_id and ctx_id; if it also had FLAG_INFO_RING_IDX, that flag and ring_idx are copied too.
 * An unfenced request gets zeros in all four fields.
 */
public final class GpuResponseEncoder {

    private GpuResponseEncoder() {}

    /** Encoded size in bytes of {@code r}. */
    public static long size(GpuResponse r) {
        return switch (r) {
            case GpuResponse.OkNoData _ -> CtrlHdr.SIZE;
            case GpuResponse.Err _ -> CtrlHdr.SIZE;
            case GpuResponse.OkDisplayInfo _ -> RespDisplayInfo.SIZE;
            case GpuResponse.OkEdid _ -> RespEdid.SIZE;
            case GpuResponse.OkResourceUuid _ -> RespResourceUuid.SIZE;
            case GpuResponse.OkCapsetInfo _ -> RespCapsetInfo.SIZE;
            case GpuResponse.OkCapset c -> RespCapset.DATA + c.length();
        };
    }

    /** The response header for {@code type}, carrying the fence fields of {@code request} when it was fenced. */
    public static CtrlHdr responseHeader(int type, CtrlHdr request) {
        if (!request.isFenced()) {
            return new CtrlHdr(type, 0, 0, 0, 0);
        }
        if (request.hasRingIdx()) {
            return new CtrlHdr(type, VirtioGpu.FLAG_FENCE | VirtioGpu.FLAG_INFO_RING_IDX,
                    request.fenceId(), request.ctxId(), request.ringIdx());
        }
        return new CtrlHdr(type, VirtioGpu.FLAG_FENCE, request.fenceId(), request.ctxId(), 0);
    }

    /**
     * Encodes {@code r} as the answer to {@code request} at the start of {@code out}.
     *
     * @return bytes written, or empty if {@code out} is smaller than the response (then nothing is written)
     */
    public static OptionalInt encode(GpuResponse r, CtrlHdr request, MemorySegment out) {
        long size = size(r);
        if (size > out.byteSize() || size > Integer.MAX_VALUE) {
            return OptionalInt.empty();
        }
        MemorySegment o = out.asSlice(0, size);
        o.fill((byte) 0);
        responseHeader(r.wireType(), request).write(o, 0);
        switch (r) {
            case GpuResponse.OkNoData _ -> { }
            case GpuResponse.Err _ -> { }
            case GpuResponse.OkDisplayInfo d -> {
                List<DisplayInfoEntry> displays = d.displays();
                for (int i = 0; i < displays.size(); i++) {
                    displays.get(i).write(o, RespDisplayInfo.PMODES + i * DisplayInfoEntry.SIZE);
                }
            }
            case GpuResponse.OkEdid e -> {
                byte[] edid = e.edid();
                Wire.putLe32(o, RespEdid.EDID_SIZE, edid.length);
                MemorySegment.copy(MemorySegment.ofArray(edid), 0, o, RespEdid.EDID, edid.length);
            }
            case GpuResponse.OkResourceUuid u ->
                    MemorySegment.copy(MemorySegment.ofArray(u.uuid()), 0, o, RespResourceUuid.UUID,
                            RespResourceUuid.UUID_BYTES);
            case GpuResponse.OkCapsetInfo c -> {
                Wire.putLe32(o, RespCapsetInfo.CAPSET_ID, c.capsetId());
                Wire.putLe32(o, RespCapsetInfo.CAPSET_MAX_VERSION, c.maxVersion());
                Wire.putLe32(o, RespCapsetInfo.CAPSET_MAX_SIZE, c.maxSize());
            }
            case GpuResponse.OkCapset c -> {
                byte[] data = c.data();
                MemorySegment.copy(MemorySegment.ofArray(data), 0, o, RespCapset.DATA, data.length);
            }
        }
        return OptionalInt.of((int) size);
    }
}
