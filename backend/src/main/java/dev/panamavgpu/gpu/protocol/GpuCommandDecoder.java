package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemorySegment;
import java.util.List;

import dev.panamavgpu.gpu.protocol.DecodeResult.Decoded;
import dev.panamavgpu.gpu.protocol.DecodeResult.Rejected;

/**
 * The single place where guest request bytes become {@link GpuCommand}s.
 *
 * <p>Input is the readable part of a descriptor chain, already copied out of guest memory (so the guest cannot
 * change it while we look, and {@code byteSize()} is the number of bytes the guest provided). Bytes after the
 * command's struct are ignored, like QEMU does. Structural problems become a {@link Rejected} value; the
 * decoder never throws, whatever the bytes (a randomized test checks this).
 */
public final class GpuCommandDecoder {
    /** Upper bound for ATTACH_BACKING nr_entries (QEMU and contrib use the same 16384). */
    public static final long MAX_ATTACH_ENTRIES = 16384;
    /** Upper bound for a SUBMIT_3D command stream: Mesa's virgl winsys sends at most 64 Ki dwords. */
    public static final long MAX_SUBMIT = 256 * 1024;

    private GpuCommandDecoder() {}

    public static DecodeResult decode(MemorySegment request) {
        long length = request.byteSize();
        if (length < CtrlHdr.SIZE) {
            return new Rejected(CtrlHdr.ZERO, DecodeError.SHORT_HEADER);
        }
        CtrlHdr hdr = CtrlHdr.read(request, 0);
        long need = bodySize(hdr.type());
        if (length < need) {
            return new Rejected(hdr, DecodeError.SHORT_BODY);
        }
        MemorySegment r = request; // short alias keeps the field reads below on one line
        return switch (hdr.type()) {
            case VirtioGpuType.CMD_GET_DISPLAY_INFO -> ok(hdr, new GpuCommand.GetDisplayInfo());
            case VirtioGpuType.CMD_GET_EDID -> ok(hdr, new GpuCommand.GetEdid(Wire.le32(r, CmdGetEdid.SCANOUT)));
            case VirtioGpuType.CMD_RESOURCE_CREATE_2D -> ok(hdr, new GpuCommand.ResourceCreate2d(
                    Wire.le32(r, CmdResourceCreate2d.RESOURCE_ID),
                    r.get(Wire.LE32, CmdResourceCreate2d.FORMAT),
                    Wire.le32(r, CmdResourceCreate2d.WIDTH),
                    Wire.le32(r, CmdResourceCreate2d.HEIGHT)));
            case VirtioGpuType.CMD_RESOURCE_UNREF ->
                    ok(hdr, new GpuCommand.ResourceUnref(Wire.le32(r, CmdResourceUnref.RESOURCE_ID)));
            case VirtioGpuType.CMD_SET_SCANOUT -> ok(hdr, new GpuCommand.SetScanout(
                    Rect.read(r, CmdSetScanout.R),
                    Wire.le32(r, CmdSetScanout.SCANOUT_ID),
                    Wire.le32(r, CmdSetScanout.RESOURCE_ID)));
            case VirtioGpuType.CMD_RESOURCE_FLUSH -> ok(hdr, new GpuCommand.ResourceFlush(
                    Rect.read(r, CmdResourceFlush.R),
                    Wire.le32(r, CmdResourceFlush.RESOURCE_ID)));
            case VirtioGpuType.CMD_TRANSFER_TO_HOST_2D -> ok(hdr, new GpuCommand.TransferToHost2d(
                    Rect.read(r, CmdTransferToHost2d.R),
                    r.get(Wire.LE64, CmdTransferToHost2d.OFFSET),
                    Wire.le32(r, CmdTransferToHost2d.RESOURCE_ID)));
            case VirtioGpuType.CMD_RESOURCE_ATTACH_BACKING -> attachBacking(hdr, r);
            case VirtioGpuType.CMD_RESOURCE_DETACH_BACKING ->
                    ok(hdr, new GpuCommand.ResourceDetachBacking(Wire.le32(r, CmdResourceDetachBacking.RESOURCE_ID)));
            case VirtioGpuType.CMD_RESOURCE_ASSIGN_UUID ->
                    ok(hdr, new GpuCommand.ResourceAssignUuid(Wire.le32(r, CmdResourceAssignUuid.RESOURCE_ID)));
            case VirtioGpuType.CMD_GET_CAPSET_INFO ->
                    ok(hdr, new GpuCommand.GetCapsetInfo(Wire.le32(r, CmdGetCapsetInfo.CAPSET_INDEX)));
            case VirtioGpuType.CMD_GET_CAPSET -> ok(hdr, new GpuCommand.GetCapset(
                    Wire.le32(r, CmdGetCapset.CAPSET_ID),
                    Wire.le32(r, CmdGetCapset.CAPSET_VERSION)));
            case VirtioGpuType.CMD_UPDATE_CURSOR -> ok(hdr, new GpuCommand.UpdateCursor(
                    CursorPos.read(r, CmdUpdateCursor.POS),
                    Wire.le32(r, CmdUpdateCursor.RESOURCE_ID),
                    Wire.le32(r, CmdUpdateCursor.HOT_X),
                    Wire.le32(r, CmdUpdateCursor.HOT_Y)));
            case VirtioGpuType.CMD_MOVE_CURSOR -> ok(hdr, new GpuCommand.MoveCursor(
                    CursorPos.read(r, CmdUpdateCursor.POS),
                    Wire.le32(r, CmdUpdateCursor.RESOURCE_ID)));
            case VirtioGpuType.CMD_CTX_CREATE -> ok(hdr, new GpuCommand.CtxCreate(hdr.ctxId(),
                    Wire.le32(r, Cmd3d.CTX_CREATE_CONTEXT_INIT), debugName(r)));
            case VirtioGpuType.CMD_CTX_DESTROY -> ok(hdr, new GpuCommand.CtxDestroy(hdr.ctxId()));
            case VirtioGpuType.CMD_CTX_ATTACH_RESOURCE, VirtioGpuType.CMD_CTX_DETACH_RESOURCE -> ok(hdr, new GpuCommand.CtxResource(
                    hdr.type() == VirtioGpuType.CMD_CTX_ATTACH_RESOURCE, hdr.ctxId(), Wire.le32(r, Cmd3d.CTX_RESOURCE_ID)));
            case VirtioGpuType.CMD_RESOURCE_CREATE_3D -> ok(hdr, create3d(r));
            case VirtioGpuType.CMD_TRANSFER_TO_HOST_3D, VirtioGpuType.CMD_TRANSFER_FROM_HOST_3D -> ok(hdr, new GpuCommand.Transfer3d(
                    hdr.type() == VirtioGpuType.CMD_TRANSFER_TO_HOST_3D, hdr.ctxId(),
                    Box3d.read(r, Cmd3d.TRANSFER_BOX),
                    r.get(Wire.LE64, Cmd3d.TRANSFER_OFFSET),
                    Wire.le32(r, Cmd3d.TRANSFER_RESOURCE_ID),
                    Wire.le32(r, Cmd3d.TRANSFER_LEVEL),
                    Wire.le32(r, Cmd3d.TRANSFER_STRIDE),
                    Wire.le32(r, Cmd3d.TRANSFER_LAYER_STRIDE)));
            case VirtioGpuType.CMD_SUBMIT_3D -> submit3d(hdr, r);
            default -> ok(hdr, new GpuCommand.Unsupported(hdr.type()));
        };
    }

    private static GpuCommand.ResourceCreate3d create3d(MemorySegment r) {
        long at = Cmd3d.CREATE_3D_RESOURCE_ID;
        long[] f = new long[11];
        for (int i = 0; i < f.length; i++) f[i] = Wire.le32(r, at + 4L * i);
        return new GpuCommand.ResourceCreate3d(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10]);
    }

    /** The guest's context name for the log: at most nlen (<= 64) bytes, printable ASCII kept, the rest '?'. */
    private static String debugName(MemorySegment r) {
        long n = Math.min(Wire.le32(r, Cmd3d.CTX_CREATE_NLEN), 64);
        StringBuilder b = new StringBuilder();
        for (long i = 0; i < n; i++) {
            int c = r.get(Wire.U8, Cmd3d.CTX_CREATE_DEBUG_NAME + i) & 0xff;
            if (c == 0) break;
            b.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
        }
        return b.toString();
    }

    private static DecodeResult submit3d(CtrlHdr hdr, MemorySegment r) {
        long size = Wire.le32(r, Cmd3d.SUBMIT_SIZE_FIELD);
        if (size > MAX_SUBMIT) return new Rejected(hdr, DecodeError.SUBMIT_TOO_LARGE);
        if (Cmd3d.SUBMIT_SIZE + size > r.byteSize()) return new Rejected(hdr, DecodeError.TRUNCATED_SUBMIT);
        byte[] cmds = r.asSlice(Cmd3d.SUBMIT_SIZE, size).toArray(Wire.U8);
        return ok(hdr, new GpuCommand.Submit3d(hdr.ctxId(), cmds));
    }

    /**
     * Minimum request length for a type: its fixed struct. Unsupported types need only the header, so they can
     * still be answered with ERR_UNSPEC.
     */
    public static long bodySize(int type) {
        return switch (type) {
            case VirtioGpuType.CMD_GET_DISPLAY_INFO -> CtrlHdr.SIZE;
            case VirtioGpuType.CMD_GET_EDID -> CmdGetEdid.SIZE;
            case VirtioGpuType.CMD_RESOURCE_CREATE_2D -> CmdResourceCreate2d.SIZE;
            case VirtioGpuType.CMD_RESOURCE_UNREF -> CmdResourceUnref.SIZE;
            case VirtioGpuType.CMD_SET_SCANOUT -> CmdSetScanout.SIZE;
            case VirtioGpuType.CMD_RESOURCE_FLUSH -> CmdResourceFlush.SIZE;
            case VirtioGpuType.CMD_TRANSFER_TO_HOST_2D -> CmdTransferToHost2d.SIZE;
            case VirtioGpuType.CMD_RESOURCE_ATTACH_BACKING -> CmdResourceAttachBacking.SIZE;
            case VirtioGpuType.CMD_RESOURCE_DETACH_BACKING -> CmdResourceDetachBacking.SIZE;
            case VirtioGpuType.CMD_RESOURCE_ASSIGN_UUID -> CmdResourceAssignUuid.SIZE;
            case VirtioGpuType.CMD_GET_CAPSET_INFO -> CmdGetCapsetInfo.SIZE;
            case VirtioGpuType.CMD_GET_CAPSET -> CmdGetCapset.SIZE;
            case VirtioGpuType.CMD_UPDATE_CURSOR, VirtioGpuType.CMD_MOVE_CURSOR -> CmdUpdateCursor.SIZE;
            case VirtioGpuType.CMD_CTX_CREATE -> Cmd3d.CTX_CREATE_SIZE;
            case VirtioGpuType.CMD_CTX_DESTROY -> CtrlHdr.SIZE;
            case VirtioGpuType.CMD_CTX_ATTACH_RESOURCE, VirtioGpuType.CMD_CTX_DETACH_RESOURCE -> Cmd3d.CTX_RESOURCE_SIZE;
            case VirtioGpuType.CMD_RESOURCE_CREATE_3D -> Cmd3d.CREATE_3D_SIZE;
            case VirtioGpuType.CMD_TRANSFER_TO_HOST_3D, VirtioGpuType.CMD_TRANSFER_FROM_HOST_3D -> Cmd3d.TRANSFER_SIZE;
            case VirtioGpuType.CMD_SUBMIT_3D -> Cmd3d.SUBMIT_SIZE;
            default -> CtrlHdr.SIZE;
        };
    }

    private static DecodeResult ok(CtrlHdr hdr, GpuCommand cmd) {
        return new Decoded(hdr, cmd);
    }

    private static DecodeResult attachBacking(CtrlHdr hdr, MemorySegment r) {
        long nr = Wire.le32(r, CmdResourceAttachBacking.NR_ENTRIES);
        if (nr > MAX_ATTACH_ENTRIES) {
            return new Rejected(hdr, DecodeError.TOO_MANY_ENTRIES);
        }
        // Checked against the bytes actually present before anything is allocated (nr <= 16384: no overflow).
        if (CmdResourceAttachBacking.ENTRIES + nr * MemEntry.SIZE > r.byteSize()) {
            return new Rejected(hdr, DecodeError.TRUNCATED_ENTRIES);
        }
        MemEntry[] entries = new MemEntry[(int) nr];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = MemEntry.read(r, CmdResourceAttachBacking.ENTRIES + i * MemEntry.SIZE);
        }
        return ok(hdr, new GpuCommand.ResourceAttachBacking(
                Wire.le32(r, CmdResourceAttachBacking.RESOURCE_ID), List.of(entries)));
    }
}
