package dev.panamavgpu.testguest.driver;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Request encodings of every 2D and cursor command, byte for byte as in linux/virtio_gpu.h (all fields
 * little-endian). Written here independently of the backend's own layouts so a layout mistake on either side
 * shows up as a test failure instead of cancelling out.
 */
public final class Commands {
    // virtio_gpu_ctrl_type
    public static final int GET_DISPLAY_INFO = 0x0100;
    public static final int RESOURCE_CREATE_2D = 0x0101;
    public static final int RESOURCE_UNREF = 0x0102;
    public static final int SET_SCANOUT = 0x0103;
    public static final int RESOURCE_FLUSH = 0x0104;
    public static final int TRANSFER_TO_HOST_2D = 0x0105;
    public static final int RESOURCE_ATTACH_BACKING = 0x0106;
    public static final int RESOURCE_DETACH_BACKING = 0x0107;
    public static final int GET_CAPSET_INFO = 0x0108;
    public static final int GET_CAPSET = 0x0109;
    public static final int GET_EDID = 0x010A;
    public static final int RESOURCE_ASSIGN_UUID = 0x010B;
    public static final int RESOURCE_CREATE_BLOB = 0x010C;
    public static final int SET_SCANOUT_BLOB = 0x010D;
    public static final int CTX_CREATE = 0x0200;
    public static final int SUBMIT_3D = 0x0207;
    public static final int UPDATE_CURSOR = 0x0300;
    public static final int MOVE_CURSOR = 0x0301;

    public static final int RESP_OK_NODATA = 0x1100;
    public static final int RESP_OK_DISPLAY_INFO = 0x1101;
    public static final int RESP_OK_CAPSET_INFO = 0x1102;
    public static final int RESP_OK_CAPSET = 0x1103;
    public static final int RESP_OK_EDID = 0x1104;
    public static final int RESP_OK_RESOURCE_UUID = 0x1105;
    public static final int RESP_ERR_UNSPEC = 0x1200;
    public static final int RESP_ERR_OUT_OF_MEMORY = 0x1201;
    public static final int RESP_ERR_INVALID_SCANOUT_ID = 0x1202;
    public static final int RESP_ERR_INVALID_RESOURCE_ID = 0x1203;
    public static final int RESP_ERR_INVALID_CONTEXT_ID = 0x1204;
    public static final int RESP_ERR_INVALID_PARAMETER = 0x1205;

    /** Response struct sizes. */
    public static final int HDR_SIZE = 24;
    public static final int RESP_DISPLAY_INFO_SIZE = 24 + 16 * 24;
    public static final int RESP_EDID_SIZE = 24 + 8 + 1024;
    public static final int RESP_RESOURCE_UUID_SIZE = 24 + 16;
    public static final int RESP_CAPSET_INFO_SIZE = 24 + 16;

    /** ATTACH_BACKING fixed part; entries (16 bytes each) follow. */
    public static final int ATTACH_HEAD_SIZE = 32;

    /** One virtio_gpu_mem_entry. */
    public record MemEntry(long addr, long length) {}

    private Commands() {}

    static ByteBuffer start(int size, int type, Hdr h) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, type);
        b.putInt(4, h.flags());
        b.putLong(8, h.fenceId());
        b.putInt(16, h.ctxId());
        b.put(20, (byte) h.ringIdx());
        return b;
    }

    /** A bare header of {@code type} (GET_DISPLAY_INFO, or an unknown type). */
    public static byte[] header(int type, Hdr h) {
        return start(HDR_SIZE, type, h).array();
    }

    public static byte[] getDisplayInfo(Hdr h) {
        return header(GET_DISPLAY_INFO, h);
    }

    public static byte[] getEdid(Hdr h, long scanoutId) {
        return start(32, GET_EDID, h).putInt(24, (int) scanoutId).array();
    }

    public static byte[] createResource2d(Hdr h, long resourceId, int format, long width, long height) {
        return start(40, RESOURCE_CREATE_2D, h).putInt(24, (int) resourceId).putInt(28, format)
                .putInt(32, (int) width).putInt(36, (int) height).array();
    }

    public static byte[] unref(Hdr h, long resourceId) {
        return start(32, RESOURCE_UNREF, h).putInt(24, (int) resourceId).array();
    }

    private static ByteBuffer rect(ByteBuffer b, int at, long x, long y, long w, long hgt) {
        return b.putInt(at, (int) x).putInt(at + 4, (int) y).putInt(at + 8, (int) w).putInt(at + 12, (int) hgt);
    }

    public static byte[] setScanout(Hdr h, long scanoutId, long resourceId, long x, long y, long w, long hgt) {
        ByteBuffer b = start(48, SET_SCANOUT, h);
        rect(b, 24, x, y, w, hgt);
        return b.putInt(40, (int) scanoutId).putInt(44, (int) resourceId).array();
    }

    public static byte[] flush(Hdr h, long resourceId, long x, long y, long w, long hgt) {
        ByteBuffer b = start(48, RESOURCE_FLUSH, h);
        rect(b, 24, x, y, w, hgt);
        return b.putInt(40, (int) resourceId).array();
    }

    public static byte[] transfer(Hdr h, long resourceId, long x, long y, long w, long hgt, long offset) {
        ByteBuffer b = start(56, TRANSFER_TO_HOST_2D, h);
        rect(b, 24, x, y, w, hgt);
        return b.putLong(40, offset).putInt(48, (int) resourceId).array();
    }

    /** The fixed part (32 bytes) announcing {@code nrEntries}; entries are encoded separately. */
    public static byte[] attachHead(Hdr h, long resourceId, long nrEntries) {
        return start(ATTACH_HEAD_SIZE, RESOURCE_ATTACH_BACKING, h).putInt(24, (int) resourceId)
                .putInt(28, (int) nrEntries).array();
    }

    public static byte[] memEntries(List<MemEntry> entries) {
        ByteBuffer b = ByteBuffer.allocate(16 * entries.size()).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < entries.size(); i++) {
            b.putLong(16 * i, entries.get(i).addr()).putInt(16 * i + 8, (int) entries.get(i).length());
        }
        return b.array();
    }

    /** Whole ATTACH_BACKING request (head and entries in one buffer). */
    public static byte[] attachBacking(Hdr h, long resourceId, List<MemEntry> entries) {
        return concat(attachHead(h, resourceId, entries.size()), memEntries(entries));
    }

    public static byte[] detachBacking(Hdr h, long resourceId) {
        return start(32, RESOURCE_DETACH_BACKING, h).putInt(24, (int) resourceId).array();
    }

    public static byte[] assignUuid(Hdr h, long resourceId) {
        return start(32, RESOURCE_ASSIGN_UUID, h).putInt(24, (int) resourceId).array();
    }

    public static byte[] getCapsetInfo(Hdr h, long index) {
        return start(32, GET_CAPSET_INFO, h).putInt(24, (int) index).array();
    }

    public static byte[] getCapset(Hdr h, long capsetId, long version) {
        return start(32, GET_CAPSET, h).putInt(24, (int) capsetId).putInt(28, (int) version).array();
    }

    public static byte[] updateCursor(Hdr h, long scanoutId, long x, long y, long resourceId, long hotX, long hotY) {
        return start(56, UPDATE_CURSOR, h).putInt(24, (int) scanoutId).putInt(28, (int) x).putInt(32, (int) y)
                .putInt(40, (int) resourceId).putInt(44, (int) hotX).putInt(48, (int) hotY).array();
    }

    public static byte[] moveCursor(Hdr h, long scanoutId, long x, long y, long resourceId) {
        return start(56, MOVE_CURSOR, h).putInt(24, (int) scanoutId).putInt(28, (int) x).putInt(32, (int) y)
                .putInt(40, (int) resourceId).array();
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    /** Name of a request or response type, for messages. */
    public static String name(int type) {
        return switch (type) {
            case GET_DISPLAY_INFO -> "GET_DISPLAY_INFO";
            case RESOURCE_CREATE_2D -> "RESOURCE_CREATE_2D";
            case RESOURCE_UNREF -> "RESOURCE_UNREF";
            case SET_SCANOUT -> "SET_SCANOUT";
            case RESOURCE_FLUSH -> "RESOURCE_FLUSH";
            case TRANSFER_TO_HOST_2D -> "TRANSFER_TO_HOST_2D";
            case RESOURCE_ATTACH_BACKING -> "RESOURCE_ATTACH_BACKING";
            case RESOURCE_DETACH_BACKING -> "RESOURCE_DETACH_BACKING";
            case GET_CAPSET_INFO -> "GET_CAPSET_INFO";
            case GET_CAPSET -> "GET_CAPSET";
            case GET_EDID -> "GET_EDID";
            case RESOURCE_ASSIGN_UUID -> "RESOURCE_ASSIGN_UUID";
            case UPDATE_CURSOR -> "UPDATE_CURSOR";
            case MOVE_CURSOR -> "MOVE_CURSOR";
            case RESP_OK_NODATA -> "RESP_OK_NODATA";
            case RESP_OK_DISPLAY_INFO -> "RESP_OK_DISPLAY_INFO";
            case RESP_OK_CAPSET_INFO -> "RESP_OK_CAPSET_INFO";
            case RESP_OK_CAPSET -> "RESP_OK_CAPSET";
            case RESP_OK_EDID -> "RESP_OK_EDID";
            case RESP_OK_RESOURCE_UUID -> "RESP_OK_RESOURCE_UUID";
            case RESP_ERR_UNSPEC -> "RESP_ERR_UNSPEC";
            case RESP_ERR_OUT_OF_MEMORY -> "RESP_ERR_OUT_OF_MEMORY";
            case RESP_ERR_INVALID_SCANOUT_ID -> "RESP_ERR_INVALID_SCANOUT_ID";
            case RESP_ERR_INVALID_RESOURCE_ID -> "RESP_ERR_INVALID_RESOURCE_ID";
            case RESP_ERR_INVALID_CONTEXT_ID -> "RESP_ERR_INVALID_CONTEXT_ID";
            case RESP_ERR_INVALID_PARAMETER -> "RESP_ERR_INVALID_PARAMETER";
            default -> String.format("0x%x", type);
        };
    }
}
