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
     * Any type this package does not decode: 3D, blob, map/unmap, response codes sent as requests, garbage.
     * The device answers ERR_UNSPEC (as QEMU does for unknown commands).
     */
    record Unsupported(int type) implements GpuCommand {
        public int wireType() {
            return type;
        }
    }
}
