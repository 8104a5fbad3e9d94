package dev.panamavgpu.testguest.driver;

/**
 * The fields of {@code struct virtio_gpu_ctrl_hdr} a driver chooses: flags, fence_id, ctx_id, ring_idx (the type
 * comes from the command). {@link #NONE} is what the Linux driver sends for an unfenced 2D command.
 */
public record Hdr(int flags, long fenceId, int ctxId, int ringIdx) {
    public static final int FLAG_FENCE = 1;
    public static final int FLAG_INFO_RING_IDX = 2;

    public static final Hdr NONE = new Hdr(0, 0, 0, 0);

    /** FLAG_FENCE with a fence id and context id (ring_idx left 0). */
    public static Hdr fence(long fenceId, int ctxId) {
        return new Hdr(FLAG_FENCE, fenceId, ctxId, 0);
    }

    /** FLAG_FENCE | FLAG_INFO_RING_IDX with all three fields. */
    public static Hdr fence(long fenceId, int ctxId, int ringIdx) {
        return new Hdr(FLAG_FENCE | FLAG_INFO_RING_IDX, fenceId, ctxId, ringIdx);
    }

    public boolean fenced() {
        return (flags & FLAG_FENCE) != 0;
    }
}
