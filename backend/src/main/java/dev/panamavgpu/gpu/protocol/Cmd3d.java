package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * The request structs of the 3D commands (virtio_gpu.h): CTX_CREATE, CTX_ATTACH/DETACH_RESOURCE,
 * RESOURCE_CREATE_3D, TRANSFER_TO/FROM_HOST_3D and SUBMIT_3D. CTX_DESTROY is a bare header.
 */
public final class Cmd3d {
    private Cmd3d() {}

    /** {@code struct virtio_gpu_ctx_create} (96 bytes). */
    public static final StructLayout CTX_CREATE = MemoryLayout.structLayout(
            CtrlHdr.LAYOUT.withName("hdr"),
            Wire.LE32.withName("nlen"),
            Wire.LE32.withName("context_init"),
            MemoryLayout.sequenceLayout(64, Wire.U8).withName("debug_name"));
    public static final long CTX_CREATE_NLEN = Wire.offset(CTX_CREATE, "nlen");
    public static final long CTX_CREATE_CONTEXT_INIT = Wire.offset(CTX_CREATE, "context_init");
    public static final long CTX_CREATE_DEBUG_NAME = Wire.offset(CTX_CREATE, "debug_name");
    public static final long CTX_CREATE_SIZE = CTX_CREATE.byteSize();

    /** {@code struct virtio_gpu_ctx_resource} (32 bytes). */
    public static final StructLayout CTX_RESOURCE = MemoryLayout.structLayout(
            CtrlHdr.LAYOUT.withName("hdr"),
            Wire.LE32.withName("resource_id"),
            Wire.LE32.withName("padding"));
    public static final long CTX_RESOURCE_ID = Wire.offset(CTX_RESOURCE, "resource_id");
    public static final long CTX_RESOURCE_SIZE = CTX_RESOURCE.byteSize();

    /** {@code struct virtio_gpu_resource_create_3d} (72 bytes). */
    public static final StructLayout CREATE_3D = MemoryLayout.structLayout(
            CtrlHdr.LAYOUT.withName("hdr"),
            Wire.LE32.withName("resource_id"), Wire.LE32.withName("target"), Wire.LE32.withName("format"),
            Wire.LE32.withName("bind"), Wire.LE32.withName("width"), Wire.LE32.withName("height"),
            Wire.LE32.withName("depth"), Wire.LE32.withName("array_size"), Wire.LE32.withName("last_level"),
            Wire.LE32.withName("nr_samples"), Wire.LE32.withName("flags"), Wire.LE32.withName("padding"));
    public static final long CREATE_3D_RESOURCE_ID = Wire.offset(CREATE_3D, "resource_id");
    public static final long CREATE_3D_SIZE = CREATE_3D.byteSize();

    /** {@code struct virtio_gpu_transfer_host_3d} (72 bytes). */
    public static final StructLayout TRANSFER_3D = MemoryLayout.structLayout(
            CtrlHdr.LAYOUT.withName("hdr"),
            Box3d.LAYOUT.withName("box"),
            Wire.LE64.withName("offset"),
            Wire.LE32.withName("resource_id"),
            Wire.LE32.withName("level"),
            Wire.LE32.withName("stride"),
            Wire.LE32.withName("layer_stride"));
    public static final long TRANSFER_BOX = Wire.offset(TRANSFER_3D, "box");
    public static final long TRANSFER_OFFSET = Wire.offset(TRANSFER_3D, "offset");
    public static final long TRANSFER_RESOURCE_ID = Wire.offset(TRANSFER_3D, "resource_id");
    public static final long TRANSFER_LEVEL = Wire.offset(TRANSFER_3D, "level");
    public static final long TRANSFER_STRIDE = Wire.offset(TRANSFER_3D, "stride");
    public static final long TRANSFER_LAYER_STRIDE = Wire.offset(TRANSFER_3D, "layer_stride");
    public static final long TRANSFER_SIZE = TRANSFER_3D.byteSize();

    /** {@code struct virtio_gpu_cmd_submit} (32 bytes), followed by {@code size} bytes of virgl commands. */
    public static final StructLayout SUBMIT = MemoryLayout.structLayout(
            CtrlHdr.LAYOUT.withName("hdr"),
            Wire.LE32.withName("size"),
            Wire.LE32.withName("padding"));
    public static final long SUBMIT_SIZE_FIELD = Wire.offset(SUBMIT, "size");
    public static final long SUBMIT_SIZE = SUBMIT.byteSize();
}
