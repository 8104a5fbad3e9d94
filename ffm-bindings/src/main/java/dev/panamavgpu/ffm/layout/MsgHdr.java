package dev.panamavgpu.ffm.layout;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** struct msghdr, struct iovec and struct cmsghdr (LP64), plus the CMSG_* arithmetic. */
public final class MsgHdr {
    private MsgHdr() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ADDRESS.withName("msg_name"),
            JAVA_INT.withName("msg_namelen"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("msg_iov"),
            JAVA_LONG.withName("msg_iovlen"),
            ADDRESS.withName("msg_control"),
            JAVA_LONG.withName("msg_controllen"),
            JAVA_INT.withName("msg_flags"),
            MemoryLayout.paddingLayout(4));

    public static final long NAME = off(LAYOUT, "msg_name");
    public static final long NAMELEN = off(LAYOUT, "msg_namelen");
    public static final long IOV = off(LAYOUT, "msg_iov");
    public static final long IOVLEN = off(LAYOUT, "msg_iovlen");
    public static final long CONTROL = off(LAYOUT, "msg_control");
    public static final long CONTROLLEN = off(LAYOUT, "msg_controllen");
    public static final long FLAGS = off(LAYOUT, "msg_flags");

    public static final StructLayout IOVEC = MemoryLayout.structLayout(
            ADDRESS.withName("iov_base"), JAVA_LONG.withName("iov_len"));
    public static final long IOV_BASE = off(IOVEC, "iov_base");
    public static final long IOV_LEN = off(IOVEC, "iov_len");

    public static final StructLayout CMSGHDR = MemoryLayout.structLayout(
            JAVA_LONG.withName("cmsg_len"), JAVA_INT.withName("cmsg_level"), JAVA_INT.withName("cmsg_type"));
    public static final long CMSG_LEN_OFF = off(CMSGHDR, "cmsg_len");
    public static final long CMSG_LEVEL = off(CMSGHDR, "cmsg_level");
    public static final long CMSG_TYPE = off(CMSGHDR, "cmsg_type");

    public static long cmsgAlign(long n) { return (n + 7) & ~7L; }
    public static long cmsgSpace(long dataLen) { return CMSGHDR.byteSize() + cmsgAlign(dataLen); }
    public static long cmsgLen(long dataLen) { return CMSGHDR.byteSize() + dataLen; }
    public static long cmsgDataOffset() { return CMSGHDR.byteSize(); }

    static long off(StructLayout l, String name) {
        return l.byteOffset(MemoryLayout.PathElement.groupElement(name));
    }
}
