package dev.panamavgpu.gpu.protocol;

import java.util.List;
import java.util.Objects;

/**
 * A decoded control- or cursor-queue request body. Produced only by {@link GpuCommandDecoder}; consumers dispatch
 * with an exhaustive {@code switch} (no {@code default}), so adding a command is a compile error everywhere it
 * is not yet handled.
 *
 * <p>Every u32 field is a {@code long} in [0, 2^32) so comparisons and sums are unsigned-correct without casts;
 * enumerated codes ({@code format}) stay {@code int}. u64 fields are raw {@code long} bits.
 */
public sealed interface GpuCommand {

    /** The {@code ctrl_hdr.type} this command was decoded from. */
    int wireType();

    /** Log name of {@link #wireType()}. */
    default String commandName() {
        return VirtioGpuType.name(wireType());
    }

    record GetDisplayInfo() implements GpuCommand {
        public int wireType() {
            return VirtioGpuType.CMD_GET_DISPLAY_INFO;
        }
    }

    record GetEdid(long scanoutId) implements GpuCommand {
        public GetEdid {
            Wire.requireU32(scanoutId, "scanoutId");
        }

        public int wireType() {
            return VirtioGpuType.CMD_GET_EDID;
        }
    }

    /** @param format raw virtio format code; {@link PixelFormat#fromCode(int)} tells whether it is supported */
    record ResourceCreate2d(long resourceId, int format, long width, long height) implements GpuCommand {
        public ResourceCreate2d {
            Wire.requireU32(resourceId, "resourceId");
            Wire.requireU32(width, "width");
            Wire.requireU32(height, "height");
        }

        public int wireType() {
            return VirtioGpuType.CMD_RESOURCE_CREATE_2D;
        }
    }

    record ResourceUnref(long resourceId) implements GpuCommand {
        public ResourceUnref {
            Wire.requireU32(resourceId, "resourceId");
        }

        public int wireType() {
            return VirtioGpuType.CMD_RESOURCE_UNREF;
        }
    }

    /** resourceId 0 disables the scanout. */
    record SetScanout(Rect rect, long scanoutId, long resourceId) implements GpuCommand {
        public SetScanout {
            Objects.requireNonNull(rect, "rect");
            Wire.requireU32(scanoutId, "scanoutId");
            Wire.requireU32(resourceId, "resourceId");
        }

        public int wireType() {
            return VirtioGpuType.CMD_SET_SCANOUT;
        }
    }

    record ResourceFlush(Rect rect, long resourceId) implements GpuCommand {
        public ResourceFlush {
            Objects.requireNonNull(rect, "rect");
            Wire.requireU32(resourceId, "resourceId");
        }

        public int wireType() {
            return VirtioGpuType.CMD_RESOURCE_FLUSH;
        }
    }

    /** @param offset u64 byte offset into the backing store, raw bits (may be "negative" as a signed long) */
    record TransferToHost2d(Rect rect, long offset, long resourceId) implements GpuCommand {
        public TransferToHost2d {
            Objects.requireNonNull(rect, "rect");
            Wire.requireU32(resourceId, "resourceId");
        }

        public int wireType() {
            return VirtioGpuType.CMD_TRANSFER_TO_HOST_2D;
        }
    }

    /** Entries are exactly as the guest sent them: unvalidated against guest RAM, possibly empty. */
    record ResourceAttachBacking(long resourceId, List<MemEntry> entries) implements GpuCommand {
        public ResourceAttachBacking {
            Wire.requireU32(resourceId, "resourceId");
            entries = List.copyOf(entries);
        }

        public int wireType() {
            return VirtioGpuType.CMD_RESOURCE_ATTACH_BACKING;
        }
    }

    record ResourceDetachBacking(long resourceId) implements GpuCommand {
        public ResourceDetachBacking {
            Wire.requireU32(resourceId, "resourceId");
        }

        public int wireType() {
            return VirtioGpuType.CMD_RESOURCE_DETACH_BACKING;
        }
    }

    record ResourceAssignUuid(long resourceId) implements GpuCommand {
        public ResourceAssignUuid {
            Wire.requireU32(resourceId, "resourceId");
        }

        public int wireType() {
            return VirtioGpuType.CMD_RESOURCE_ASSIGN_UUID;
        }
    }

    record GetCapsetInfo(long index) implements GpuCommand {
        public GetCapsetInfo {
            Wire.requireU32(index, "index");
        }

        public int wireType() {
            return VirtioGpuType.CMD_GET_CAPSET_INFO;
        }
    }

    record GetCapset(long capsetId, long version) implements GpuCommand {
        public GetCapset {
            Wire.requireU32(capsetId, "capsetId");
            Wire.requireU32(version, "version");
        }

        public int wireType() {
            return VirtioGpuType.CMD_GET_CAPSET;
        }
    }

    /** resourceId 0 hides the cursor. */
    record UpdateCursor(CursorPos pos, long resourceId, long hotX, long hotY) implements GpuCommand {
        public UpdateCursor {
            Objects.requireNonNull(pos, "pos");
            Wire.requireU32(resourceId, "resourceId");
            Wire.requireU32(hotX, "hotX");
            Wire.requireU32(hotY, "hotY");
        }

        public int wireType() {
            return VirtioGpuType.CMD_UPDATE_CURSOR;
        }
    }

    /** resourceId 0 hides the cursor (QEMU: {@code dpy_mouse_set(..., resource_id ? 1 : 0)}). */
    record MoveCursor(CursorPos pos, long resourceId) implements GpuCommand {
        public MoveCursor {
            Objects.requireNonNull(pos, "pos");
            Wire.requireU32(resourceId, "resourceId");
        }

        public int wireType() {
            return VirtioGpuType.CMD_MOVE_CURSOR;
        }
    }

    /**
     * CTX_CREATE. {@code contextInit} is the raw context_init word (capset id in its low 8 bits with
     * F_CONTEXT_INIT; 0 otherwise); {@code debugName} is the guest's name, printable ASCII only.
     */
    record CtxCreate(long ctxId, long contextInit, String debugName) implements GpuCommand {
        public CtxCreate {
            Wire.requireU32(ctxId, "ctxId");
            Wire.requireU32(contextInit, "contextInit");
            Objects.requireNonNull(debugName, "debugName");
        }

        public int wireType() {
            return VirtioGpuType.CMD_CTX_CREATE;
        }
    }

    record CtxDestroy(long ctxId) implements GpuCommand {
        public CtxDestroy {
            Wire.requireU32(ctxId, "ctxId");
        }

        public int wireType() {
            return VirtioGpuType.CMD_CTX_DESTROY;
        }
    }

    /** CTX_ATTACH_RESOURCE ({@code attach}) or CTX_DETACH_RESOURCE. */
    record CtxResource(boolean attach, long ctxId, long resourceId) implements GpuCommand {
        public CtxResource {
            Wire.requireU32(ctxId, "ctxId");
            Wire.requireU32(resourceId, "resourceId");
        }

        public int wireType() {
            return attach ? VirtioGpuType.CMD_CTX_ATTACH_RESOURCE : VirtioGpuType.CMD_CTX_DETACH_RESOURCE;
        }
    }

    /** RESOURCE_CREATE_3D: gallium's pipe_resource description, every field as the guest sent it. */
    record ResourceCreate3d(long resourceId, long target, long format, long bind, long width, long height, long depth,
                            long arraySize, long lastLevel, long nrSamples, long flags) implements GpuCommand {
        public ResourceCreate3d {
            for (long v : new long[] {resourceId, target, format, bind, width, height, depth, arraySize, lastLevel, nrSamples, flags}) {
                Wire.requireU32(v, "field");
            }
        }

        public int wireType() {
            return VirtioGpuType.CMD_RESOURCE_CREATE_3D;
        }
    }

    /**
     * TRANSFER_TO_HOST_3D ({@code toHost}) or TRANSFER_FROM_HOST_3D.
     *
     * @param offset u64 byte offset into the backing, raw bits
     */
    record Transfer3d(boolean toHost, long ctxId, Box3d box, long offset, long resourceId, long level, long stride,
                      long layerStride) implements GpuCommand {
        public Transfer3d {
            Objects.requireNonNull(box, "box");
            Wire.requireU32(ctxId, "ctxId");
            Wire.requireU32(resourceId, "resourceId");
            Wire.requireU32(level, "level");
            Wire.requireU32(stride, "stride");
            Wire.requireU32(layerStride, "layerStride");
        }

        public int wireType() {
            return toHost ? VirtioGpuType.CMD_TRANSFER_TO_HOST_3D : VirtioGpuType.CMD_TRANSFER_FROM_HOST_3D;
        }
    }

    /** SUBMIT_3D: a copy of the guest's virgl command stream ({@code size} bytes, at most {@link GpuCommandDecoder#MAX_SUBMIT}). */
    record Submit3d(long ctxId, byte[] commands) implements GpuCommand {
        public Submit3d {
            Wire.requireU32(ctxId, "ctxId");
            Objects.requireNonNull(commands, "commands");
        }

        public int wireType() {
            return VirtioGpuType.CMD_SUBMIT_3D;
        }
    }

    /**
     * Any type this package does not decode: blob, map/unmap, response codes sent as requests, garbage.
     * The device answers ERR_UNSPEC (as QEMU does for unknown commands).
     */
    record Unsupported(int type) implements GpuCommand {
        public int wireType() {
            return type;
        }
    }
}
