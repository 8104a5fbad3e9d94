package dev.panamavgpu.vhostuser.message;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/** The 12-byte vhost-user message header: request, flags, payload size (native endian). */
public final class Header {
    private Header() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT_UNALIGNED.withName("request"), JAVA_INT_UNALIGNED.withName("flags"), JAVA_INT_UNALIGNED.withName("size"));
    public static final long SIZE = LAYOUT.byteSize();
    public static final long REQUEST = 0, FLAGS = 4, PAYLOAD_SIZE = 8;

    public static final int VERSION_1 = 0x1, VERSION_MASK = 0x3, FLAG_REPLY = 0x4, FLAG_NEED_REPLY = 0x8;
    /** QEMU rejects any reply whose flags are not exactly this. */
    public static final int REPLY_FLAGS = VERSION_1 | FLAG_REPLY;
    /** Largest payload accepted: the biggest legitimate message (GET_CONFIG, 12 + 256) with room to spare. */
    public static final int MAX_PAYLOAD = 4096;

    public static int request(MemorySegment h) { return h.get(JAVA_INT_UNALIGNED, REQUEST); }
    public static int flags(MemorySegment h) { return h.get(JAVA_INT_UNALIGNED, FLAGS); }
    public static int size(MemorySegment h) { return h.get(JAVA_INT_UNALIGNED, PAYLOAD_SIZE); }

    public static void write(MemorySegment h, int request, int flags, int size) {
        h.set(JAVA_INT_UNALIGNED, REQUEST, request);
        h.set(JAVA_INT_UNALIGNED, FLAGS, flags);
        h.set(JAVA_INT_UNALIGNED, PAYLOAD_SIZE, size);
    }
}
