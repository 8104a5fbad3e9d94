package dev.panamavgpu.testguest.driver;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * What came back for one command: the used length the device reported and the whole response buffer as it is
 * afterwards (bytes the device did not write still hold {@link GpuDriver#FILL}). Header accessors read the
 * first 24 bytes whatever the used length; check {@link #usedLength()} first.
 *
 * @param queue       the virtqueue the command went on
 * @param usedLength  the length in the used ring entry
 * @param buffer      the device-writable buffer after completion ({@code length} = the buffer size offered)
 * @param elapsedNanos time from submit to the used entry being seen
 */
public record Response(int queue, int usedLength, byte[] buffer, long elapsedNanos) {

    private ByteBuffer le() {
        return ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
    }

    private int need(int end) {
        if (buffer.length < end) throw new IllegalStateException("response buffer has only " + buffer.length + " bytes");
        return end;
    }

    public int type() { need(4); return le().getInt(0); }
    public int flags() { need(8); return le().getInt(4); }
    public long fenceId() { need(16); return le().getLong(8); }
    public int ctxId() { need(20); return le().getInt(16); }
    public int ringIdx() { need(21); return Byte.toUnsignedInt(buffer[20]); }

    /** The three header padding bytes after ring_idx. */
    public byte[] headerPadding() { need(24); return Arrays.copyOfRange(buffer, 21, 24); }

    public long u32(int offset) { need(offset + 4); return Integer.toUnsignedLong(le().getInt(offset)); }
    public long u64(int offset) { need(offset + 8); return le().getLong(offset); }

    /** The bytes the device reported as written. */
    public byte[] written() { return Arrays.copyOf(buffer, Math.min(usedLength, buffer.length)); }

    /** Written bytes after the 24-byte header. */
    public byte[] payload() {
        return usedLength <= 24 ? new byte[0] : Arrays.copyOfRange(buffer, 24, Math.min(usedLength, buffer.length));
    }

    public boolean isOk() { return usedLength >= 24 && (type() & 0xFFFFFF00) == 0x1100; }
    public boolean isError() { return usedLength >= 24 && (type() & 0xFFFFFF00) == 0x1200; }

    @Override
    public String toString() {
        String t = buffer.length >= 24 && usedLength >= 24 ? Commands.name(type()) : "-";
        return "Response[q" + queue + ", used " + usedLength + " of " + buffer.length + ", " + t
                + (usedLength >= 24 ? ", flags 0x" + Integer.toHexString(flags()) + ", fence " + Long.toUnsignedString(fenceId())
                + ", ctx " + Integer.toUnsignedString(ctxId()) + ", ring " + ringIdx() : "") + "]";
    }
}
