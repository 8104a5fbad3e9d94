package dev.panamavgpu.gpu.fuzz;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** virtio-gpu request bytes, field by field (little-endian), for the fuzz targets and their seeds. */
final class GpuCommands {
    private GpuCommands() {}

    static final int GET_DISPLAY_INFO = 0x100, CREATE_2D = 0x101, UNREF = 0x102, SET_SCANOUT = 0x103, FLUSH = 0x104,
            TRANSFER = 0x105, ATTACH = 0x106, DETACH = 0x107, GET_CAPSET_INFO = 0x108, GET_CAPSET = 0x109, GET_EDID = 0x10a,
            ASSIGN_UUID = 0x10b, UPDATE_CURSOR = 0x300, MOVE_CURSOR = 0x301;
    static final int FLAG_FENCE = 1;

    record Entry(long addr, long length) {}

    static ByteBuffer hdr(int type, int flags, long fence, int size) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        return b.putInt(type).putInt(flags).putLong(fence).putInt(0).put((byte) 0).put(new byte[3]);
    }

    static byte[] create(long id, int format, long w, long h) {
        return hdr(CREATE_2D, 0, 0, 40).putInt((int) id).putInt(format).putInt((int) w).putInt((int) h).array();
    }

    static byte[] idOnly(int type, long id) { return hdr(type, 0, 0, 32).putInt((int) id).putInt(0).array(); }

    static byte[] rectThenIds(int type, long x, long y, long w, long h, long a, long b) {
        return hdr(type, 0, 0, 48).putInt((int) x).putInt((int) y).putInt((int) w).putInt((int) h).putInt((int) a).putInt((int) b).array();
    }

    static byte[] setScanout(long scanout, long id, long x, long y, long w, long h) { return rectThenIds(SET_SCANOUT, x, y, w, h, scanout, id); }

    static byte[] flush(long id, long x, long y, long w, long h) { return rectThenIds(FLUSH, x, y, w, h, id, 0); }

    static byte[] transfer(long id, long x, long y, long w, long h, long offset) {
        return hdr(TRANSFER, 0, 0, 56).putInt((int) x).putInt((int) y).putInt((int) w).putInt((int) h).putLong(offset)
                .putInt((int) id).putInt(0).array();
    }

    static byte[] attach(long id, Entry... entries) {
        ByteBuffer b = hdr(ATTACH, 0, 0, 32 + 16 * entries.length).putInt((int) id).putInt(entries.length);
        for (Entry e : entries) b.putLong(e.addr).putInt((int) e.length).putInt(0);
        return b.array();
    }

    static byte[] cursor(int type, long scanout, long x, long y, long id, long hotX, long hotY) {
        return hdr(type, 0, 0, 56).putInt((int) scanout).putInt((int) x).putInt((int) y).putInt(0)
                .putInt((int) id).putInt((int) hotX).putInt((int) hotY).putInt(0).array();
    }

    static byte[] twoU32(int type, long a, long b) { return hdr(type, 0, 0, 32).putInt((int) a).putInt((int) b).array(); }
}
