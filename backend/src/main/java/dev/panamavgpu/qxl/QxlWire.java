package dev.panamavgpu.qxl;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Value layouts of the QXL structs (spice-protocol qxl_dev.h). Every QXL struct is packed, so all
 * fields are unaligned little-endian; the only aligned, atomically accessed words are the ring
 * indices and {@code int_pending}/{@code int_mask}, through {@link #ATOMIC32}.
 */
final class QxlWire {
    private QxlWire() {}

    static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** An aligned u32 shared with the guest: acquire/release/volatile and getAndBitwiseOr. */
    static final VarHandle ATOMIC32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    static long offset(StructLayout layout, String field) {
        return layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    static long u32(MemorySegment s, long off) { return Integer.toUnsignedLong(s.get(LE32, off)); }
    static int i32(MemorySegment s, long off) { return s.get(LE32, off); }
    static long u64(MemorySegment s, long off) { return s.get(LE64, off); }
    static int u8(MemorySegment s, long off) { return Byte.toUnsignedInt(s.get(U8, off)); }
    static int u16(MemorySegment s, long off) { return Short.toUnsignedInt(s.get(LE16, off)); }
    static int i16(MemorySegment s, long off) { return s.get(LE16, off); }

    static int getAcquire(MemorySegment s, long off) { return (int) ATOMIC32.getAcquire(s, off); }
    static int getVolatile(MemorySegment s, long off) { return (int) ATOMIC32.getVolatile(s, off); }
    static void setRelease(MemorySegment s, long off, int v) { ATOMIC32.setRelease(s, off, v); }
    static void setVolatile(MemorySegment s, long off, int v) { ATOMIC32.setVolatile(s, off, v); }

    /** QXLRect {i32 top, left, bottom, right}: 16 bytes. */
    static StructLayout rect(String name) {
        return MemoryLayout.structLayout(LE32.withName("top"), LE32.withName("left"),
                LE32.withName("bottom"), LE32.withName("right")).withName(name);
    }

    static QxlRect readRect(MemorySegment s, long off) {
        return new QxlRect(i32(s, off), i32(s, off + 4), i32(s, off + 8), i32(s, off + 12));
    }
}
