package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * Display-socket message header {@code {u32 request; u32 flags; u32 size}} (12 bytes, native order);
 * {@code size} payload bytes follow.
 */
public record DisplayMsgHeader(int request, int flags, long size) {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            Wire.NE32.withName("request"),
            Wire.NE32.withName("flags"),
            Wire.NE32.withName("size"));

    public static final long REQUEST = Wire.offset(LAYOUT, "request");
    public static final long FLAGS = Wire.offset(LAYOUT, "flags");
    public static final long PAYLOAD_SIZE = Wire.offset(LAYOUT, "size");
    public static final long SIZE = LAYOUT.byteSize();

    public DisplayMsgHeader {
        Wire.requireU32(size, "size");
    }

    public static DisplayMsgHeader read(MemorySegment s, long offset) {
        return new DisplayMsgHeader(s.get(Wire.NE32, offset + REQUEST), s.get(Wire.NE32, offset + FLAGS),
                Wire.ne32(s, offset + PAYLOAD_SIZE));
    }

    public void write(MemorySegment s, long offset) {
        s.set(Wire.NE32, offset + REQUEST, request);
        s.set(Wire.NE32, offset + FLAGS, flags);
        Wire.putNe32(s, offset + PAYLOAD_SIZE, size);
    }

    public boolean isReply() {
        return (flags & DisplayRequest.FLAG_REPLY) != 0;
    }
}
