package dev.panamavgpu.ffm.layout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** struct epoll_event, which is packed on x86_64: 12 bytes with the 64-bit data at offset 4. */
public final class EpollEvent {
    private EpollEvent() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("events"),
            JAVA_LONG.withByteAlignment(4).withName("data"));
    public static final long EVENTS = MsgHdr.off(LAYOUT, "events");
    public static final long DATA = MsgHdr.off(LAYOUT, "data");
    public static final long SIZE = LAYOUT.byteSize();
}
