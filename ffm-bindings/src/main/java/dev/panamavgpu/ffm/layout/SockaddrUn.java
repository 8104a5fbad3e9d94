package dev.panamavgpu.ffm.layout;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/** struct sockaddr_un: a family and a 108-byte path. */
public final class SockaddrUn {
    private SockaddrUn() {}

    public static final int PATH_MAX = 108;
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_SHORT.withName("sun_family"),
            MemoryLayout.sequenceLayout(PATH_MAX, ValueLayout.JAVA_BYTE).withName("sun_path"));
    public static final long FAMILY = MsgHdr.off(LAYOUT, "sun_family");
    public static final long PATH = MsgHdr.off(LAYOUT, "sun_path");
}
