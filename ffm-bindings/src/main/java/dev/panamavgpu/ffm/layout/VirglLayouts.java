package dev.panamavgpu.ffm.layout;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * The structs of virglrenderer 0.10.4's public header (virgl/virglrenderer.h) the backend passes:
 * the callbacks table, resource_create_args, virgl_box and resource_info. Sizes are checked by
 * LayoutSizeTest against the header's (x86_64).
 */
public final class VirglLayouts {
    private VirglLayouts() {}

    /**
     * struct virgl_renderer_callbacks up to version 4 (72 bytes): version, then function pointers.
     * virglrenderer reads only the fields its {@code version} covers; the rest stay NULL.
     */
    public static final StructLayout CALLBACKS = MemoryLayout.structLayout(
            JAVA_INT.withName("version"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("write_fence"),
            ADDRESS.withName("create_gl_context"),
            ADDRESS.withName("destroy_gl_context"),
            ADDRESS.withName("make_current"),
            ADDRESS.withName("get_drm_fd"),
            ADDRESS.withName("write_context_fence"),
            ADDRESS.withName("get_server_fd"),
            ADDRESS.withName("get_egl_display"));
    public static final long CB_VERSION = MsgHdr.off(CALLBACKS, "version");
    public static final long CB_WRITE_FENCE = MsgHdr.off(CALLBACKS, "write_fence");
    public static final long CB_GET_DRM_FD = MsgHdr.off(CALLBACKS, "get_drm_fd");
    public static final long CB_WRITE_CONTEXT_FENCE = MsgHdr.off(CALLBACKS, "write_context_fence");

    /** struct virgl_renderer_resource_create_args: 11 x u32. */
    public static final StructLayout CREATE_ARGS = MemoryLayout.structLayout(
            JAVA_INT.withName("handle"), JAVA_INT.withName("target"), JAVA_INT.withName("format"),
            JAVA_INT.withName("bind"), JAVA_INT.withName("width"), JAVA_INT.withName("height"),
            JAVA_INT.withName("depth"), JAVA_INT.withName("array_size"), JAVA_INT.withName("last_level"),
            JAVA_INT.withName("nr_samples"), JAVA_INT.withName("flags"));
    public static final long CA_HANDLE = MsgHdr.off(CREATE_ARGS, "handle");
    public static final long CA_TARGET = MsgHdr.off(CREATE_ARGS, "target");
    public static final long CA_FORMAT = MsgHdr.off(CREATE_ARGS, "format");
    public static final long CA_BIND = MsgHdr.off(CREATE_ARGS, "bind");
    public static final long CA_WIDTH = MsgHdr.off(CREATE_ARGS, "width");
    public static final long CA_HEIGHT = MsgHdr.off(CREATE_ARGS, "height");
    public static final long CA_DEPTH = MsgHdr.off(CREATE_ARGS, "depth");
    public static final long CA_ARRAY_SIZE = MsgHdr.off(CREATE_ARGS, "array_size");
    public static final long CA_LAST_LEVEL = MsgHdr.off(CREATE_ARGS, "last_level");
    public static final long CA_NR_SAMPLES = MsgHdr.off(CREATE_ARGS, "nr_samples");
    public static final long CA_FLAGS = MsgHdr.off(CREATE_ARGS, "flags");

    /** struct virgl_box: x, y, z, w, h, d (u32 each), the same as virtio_gpu_box. */
    public static final StructLayout BOX = MemoryLayout.structLayout(
            JAVA_INT.withName("x"), JAVA_INT.withName("y"), JAVA_INT.withName("z"),
            JAVA_INT.withName("w"), JAVA_INT.withName("h"), JAVA_INT.withName("d"));
    public static final long BOX_X = MsgHdr.off(BOX, "x");
    public static final long BOX_Y = MsgHdr.off(BOX, "y");
    public static final long BOX_Z = MsgHdr.off(BOX, "z");
    public static final long BOX_W = MsgHdr.off(BOX, "w");
    public static final long BOX_H = MsgHdr.off(BOX, "h");
    public static final long BOX_D = MsgHdr.off(BOX, "d");

    /** struct virgl_renderer_resource_info: 9 x 32-bit fields. */
    public static final StructLayout RESOURCE_INFO = MemoryLayout.structLayout(
            JAVA_INT.withName("handle"), JAVA_INT.withName("virgl_format"), JAVA_INT.withName("width"),
            JAVA_INT.withName("height"), JAVA_INT.withName("depth"), JAVA_INT.withName("flags"),
            JAVA_INT.withName("tex_id"), JAVA_INT.withName("stride"), JAVA_INT.withName("drm_fourcc"));
    public static final long RI_FORMAT = MsgHdr.off(RESOURCE_INFO, "virgl_format");
    public static final long RI_WIDTH = MsgHdr.off(RESOURCE_INFO, "width");
    public static final long RI_HEIGHT = MsgHdr.off(RESOURCE_INFO, "height");
    public static final long RI_FLAGS = MsgHdr.off(RESOURCE_INFO, "flags");
    public static final long RI_STRIDE = MsgHdr.off(RESOURCE_INFO, "stride");
}
