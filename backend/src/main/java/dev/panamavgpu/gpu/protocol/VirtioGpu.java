package dev.panamavgpu.gpu.protocol;

/** virtio-gpu constants other than command/response types (linux/virtio_gpu.h). */
public final class VirtioGpu {
    // Feature bits (bit numbers, not masks).
    public static final int F_VIRGL = 0;
    public static final int F_EDID = 1;
    public static final int F_RESOURCE_UUID = 2;
    public static final int F_RESOURCE_BLOB = 3;
    public static final int F_CONTEXT_INIT = 4;

    // ctrl_hdr.flags
    public static final int FLAG_FENCE = 1;
    /** ring_idx is valid; only meaningful with F_CONTEXT_INIT. */
    public static final int FLAG_INFO_RING_IDX = 1 << 1;

    /** Size of the pmodes array in RESP_OK_DISPLAY_INFO; also the hard cap on scanout ids. */
    public static final int MAX_SCANOUTS = 16;

    /** virtio_gpu_config.events_read bit: display configuration changed. */
    public static final int EVENT_DISPLAY = 1;

    public static final int CAPSET_VIRGL = 1;
    public static final int CAPSET_VIRGL2 = 2;

    /** Resource/dmabuf flag: row 0 is the top row (passed through in DMABUF_SCANOUT fd_flags). */
    public static final int RESOURCE_FLAG_Y_0_TOP = 1;

    private VirtioGpu() {}

    /** Feature bit number to mask. */
    public static long featureMask(int bit) {
        return 1L << bit;
    }
}
