package dev.panamavgpu.ffm.layout;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** Classic BPF as seccomp takes it: struct sock_filter (8 bytes) and struct sock_fprog (16 bytes). */
public final class SockFilter {
    private SockFilter() {}

    /** {@code {u16 code; u8 jt; u8 jf; u32 k}} */
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_SHORT.withName("code"),
            JAVA_BYTE.withName("jt"),
            JAVA_BYTE.withName("jf"),
            JAVA_INT.withName("k"));
    public static final long CODE = MsgHdr.off(LAYOUT, "code");
    public static final long JT = MsgHdr.off(LAYOUT, "jt");
    public static final long JF = MsgHdr.off(LAYOUT, "jf");
    public static final long K = MsgHdr.off(LAYOUT, "k");
    public static final long SIZE = LAYOUT.byteSize();

    /** {@code {u16 len; struct sock_filter *filter}}: the pointer sits at offset 8. */
    public static final StructLayout FPROG = MemoryLayout.structLayout(
            JAVA_SHORT.withName("len"),
            MemoryLayout.paddingLayout(6),
            ADDRESS.withName("filter"));
    public static final long FPROG_LEN = MsgHdr.off(FPROG, "len");
    public static final long FPROG_FILTER = MsgHdr.off(FPROG, "filter");

    /** The kernel's limit on instructions per filter (BPF_MAXINSNS). */
    public static final int MAX_INSNS = 4096;
}
