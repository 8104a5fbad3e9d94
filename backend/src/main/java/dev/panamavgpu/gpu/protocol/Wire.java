package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Value layouts shared by the wire structs of this package.
 *
 * <p>virtio structs are little-endian by definition; the vhost-user-gpu display socket uses the host's native order
 * (docs/interop/vhost-user-gpu.rst). All layouts are unaligned: request bytes are copied out of guest descriptors
 * into arbitrary offsets and QEMU's display messages are {@code QEMU_PACKED} (a u64 payload starts at offset 12).
 */
public final class Wire {
    /** virtio {@code __le32}. */
    public static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** virtio {@code __le64}. */
    public static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** {@code __u8}. */
    public static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    /** Display-socket {@code uint32_t} (native order). */
    public static final ValueLayout.OfInt NE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    /** Display-socket {@code uint64_t} (native order). */
    public static final ValueLayout.OfLong NE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.nativeOrder());

    /** Largest value of a u32 field. */
    public static final long U32_MAX = 0xFFFF_FFFFL;

    private Wire() {}

    /** Reads a u32 zero-extended, so values ≥ 2^31 stay positive. */
    static long getU32(MemorySegment s, ValueLayout.OfInt layout, long offset) {
        return Integer.toUnsignedLong(s.get(layout, offset));
    }

    static long le32(MemorySegment s, long offset) {
        return getU32(s, LE32, offset);
    }

    static void putLe32(MemorySegment s, long offset, long value) {
        s.set(LE32, offset, (int) value);
    }

    static long ne32(MemorySegment s, long offset) {
        return getU32(s, NE32, offset);
    }

    static void putNe32(MemorySegment s, long offset, long value) {
        s.set(NE32, offset, (int) value);
    }

    /** Offset of a top-level field, so named offsets cannot drift from the layout. */
    static long offset(StructLayout layout, String field) {
        return layout.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    /** Rejects a "u32" argument outside [0, 2^32): catches sign-extended ints passed by mistake. */
    static long requireU32(long value, String name) {
        if (value < 0 || value > U32_MAX) {
            throw new IllegalArgumentException(name + " is not a u32: " + value);
        }
        return value;
    }

    /** Throws unless {@code out} has {@code size} bytes from {@code offset}, before anything is written. */
    static void requireRoom(MemorySegment out, long offset, long size) {
        if (offset < 0 || size < 0 || out.byteSize() - offset < size) {
            throw new IndexOutOfBoundsException(
                    "need " + size + " bytes at offset " + offset + ", segment has " + out.byteSize());
        }
    }
}
