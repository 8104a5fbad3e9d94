package dev.panamavgpu.vhostuser.virtqueue;

import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Split-ring wire layout (virtio 1.x, little-endian) and the accessors used on guest memory. */
public final class Ring {
    private Ring() {}

    public static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfInt U32_UNALIGNED = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfShort U16_UNALIGNED = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfLong U64_UNALIGNED = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Acquire/release access to ring indices, which the other side updates concurrently. */
    public static final VarHandle U16_ATOMIC = U16.varHandle();

    // struct virtq_desc {le64 addr; le32 len; le16 flags; le16 next;}
    public static final long DESC_SIZE = 16, DESC_ADDR = 0, DESC_LEN = 8, DESC_FLAGS = 12, DESC_NEXT = 14;
    public static final int F_NEXT = 1, F_WRITE = 2, F_INDIRECT = 4;

    // struct virtq_avail {le16 flags; le16 idx; le16 ring[size]; le16 used_event;}
    public static final long AVAIL_FLAGS = 0, AVAIL_IDX = 2, AVAIL_RING = 4;
    public static final int AVAIL_F_NO_INTERRUPT = 1;

    // struct virtq_used {le16 flags; le16 idx; struct {le32 id; le32 len;} ring[size]; le16 avail_event;}
    public static final long USED_FLAGS = 0, USED_IDX = 2, USED_RING = 4, USED_ELEM_SIZE = 8;
    public static final int USED_F_NO_NOTIFY = 1;

    public static final int MAX_QUEUE_SIZE = 32768;

    public static long descTableSize(int size) { return DESC_SIZE * size; }
    public static long availSize(int size) { return AVAIL_RING + 2L * size + 2; }
    public static long usedSize(int size) { return USED_RING + USED_ELEM_SIZE * size + 2; }
    public static long usedEventOffset(int size) { return AVAIL_RING + 2L * size; }
    public static long availEventOffset(int size) { return USED_RING + USED_ELEM_SIZE * size; }

    /** Linux's vring_need_event: should the other side be notified, given its event index? */
    public static boolean needEvent(int eventIdx, int newIdx, int oldIdx) {
        return ((newIdx - eventIdx - 1) & 0xffff) < ((newIdx - oldIdx) & 0xffff);
    }
}
