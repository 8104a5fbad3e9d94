package dev.panamavgpu.ffm.layout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/**
 * struct seccomp_data, what a seccomp filter reads (64 bytes). Filters load 32-bit words at these
 * offsets; on little-endian x86_64 the low word of {@code args[i]} is at {@link #argLow(int)}.
 */
public final class SeccompData {
    private SeccompData() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("nr"),
            JAVA_INT.withName("arch"),
            JAVA_LONG.withName("instruction_pointer"),
            MemoryLayout.sequenceLayout(6, JAVA_LONG).withName("args"));
    public static final long NR = MsgHdr.off(LAYOUT, "nr");
    public static final long ARCH = MsgHdr.off(LAYOUT, "arch");
    public static final long IP = MsgHdr.off(LAYOUT, "instruction_pointer");
    public static final long ARGS = MsgHdr.off(LAYOUT, "args");

    public static long argLow(int i) {
        if (i < 0 || i > 5) throw new IllegalArgumentException("syscall argument " + i);
        return ARGS + 8L * i;
    }
}
