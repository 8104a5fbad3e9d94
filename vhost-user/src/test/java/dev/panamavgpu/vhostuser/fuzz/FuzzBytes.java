package dev.panamavgpu.vhostuser.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * A fuzz input read front to back as little-endian fields; past the end every field reads as zero.
 * {@link Writer} produces the same format, so the seed corpus is written from meaningful scenarios
 * by ordinary code (see the *Seeds classes) instead of being hand-made bytes.
 */
public final class FuzzBytes {
    private final byte[] data;
    private int at;

    public FuzzBytes(byte[] data) { this.data = data; }

    public boolean more() { return at < data.length; }
    public int remaining() { return data.length - at; }

    public int u8() { return at < data.length ? data[at++] & 0xff : 0; }
    public int u16() { return u8() | u8() << 8; }
    public long u32() { return (u16() | (long) u16() << 16) & 0xffffffffL; }
    public long u64() { return u32() | u32() << 32; }
    public boolean bool() { return (u8() & 1) != 0; }

    /** A value in {@code [0, bound)} from one byte (bound at most 256). */
    public int pick(int bound) { return u8() % bound; }

    /** The next {@code n} bytes (fewer if the input ends). */
    public byte[] bytes(int n) {
        int k = Math.max(0, Math.min(n, data.length - at));
        byte[] b = Arrays.copyOfRange(data, at, at + k);
        at += k;
        return b;
    }

    /** A u16 length prefix, capped at {@code max}, then that many bytes. */
    public byte[] lengthPrefixed(int max) { return bytes(u16() % (max + 1)); }

    /** Builds inputs in the format {@link FuzzBytes} reads. */
    public static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        public Writer u8(int v) { out.write(v); return this; }
        public Writer u16(int v) { return u8(v).u8(v >>> 8); }
        public Writer u32(long v) { return u16((int) v).u16((int) (v >>> 16)); }
        public Writer u64(long v) { return u32(v).u32(v >>> 32); }
        public Writer bool(boolean v) { return u8(v ? 1 : 0); }
        public Writer bytes(byte[] b) { out.writeBytes(b); return this; }
        public Writer lengthPrefixed(byte[] b) { return u16(b.length).bytes(b); }
        public byte[] toByteArray() { return out.toByteArray(); }
    }
}
