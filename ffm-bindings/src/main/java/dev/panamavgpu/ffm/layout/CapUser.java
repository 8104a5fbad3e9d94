package dev.panamavgpu.ffm.layout;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** capget/capset's struct __user_cap_header_struct (8 bytes) and __user_cap_data_struct (12 bytes, two of them in version 3). */
public final class CapUser {
    private CapUser() {}

    public static final int VERSION_3 = 0x20080522;
    public static final int DATA_WORDS = 2; // version 3: capabilities 0-31 and 32-63

    public static final StructLayout HEADER = MemoryLayout.structLayout(
            JAVA_INT.withName("version"),
            JAVA_INT.withName("pid"));
    public static final long VERSION = MsgHdr.off(HEADER, "version");
    public static final long PID = MsgHdr.off(HEADER, "pid");

    public static final StructLayout DATA = MemoryLayout.structLayout(
            JAVA_INT.withName("effective"),
            JAVA_INT.withName("permitted"),
            JAVA_INT.withName("inheritable"));
    public static final long EFFECTIVE = MsgHdr.off(DATA, "effective");
    public static final long PERMITTED = MsgHdr.off(DATA, "permitted");
    public static final long INHERITABLE = MsgHdr.off(DATA, "inheritable");
}
