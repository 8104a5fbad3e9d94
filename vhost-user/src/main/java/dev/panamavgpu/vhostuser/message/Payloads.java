package dev.panamavgpu.vhostuser.message;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** Payload layouts of the vhost-user messages this library reads or writes, with named offsets. */
public final class Payloads {
    private Payloads() {}

    /** u64 payload (features, acks, vring fd index). */
    public static final long U64_SIZE = 8;
    /** SET_VRING_KICK/CALL/ERR: bits 0-7 ring index, bit 8 "no fd". */
    public static final long VRING_INDEX_MASK = 0xff, VRING_NOFD_MASK = 0x100;

    /** struct vhost_vring_state {u32 index; u32 num}. */
    public static final StructLayout VRING_STATE = MemoryLayout.structLayout(
            JAVA_INT_UNALIGNED.withName("index"), JAVA_INT_UNALIGNED.withName("num"));
    public static final long STATE_INDEX = 0, STATE_NUM = 4;

    /** struct vhost_vring_addr (40 bytes); addresses are the front-end's virtual addresses. */
    public static final StructLayout VRING_ADDR = MemoryLayout.structLayout(
            JAVA_INT_UNALIGNED.withName("index"), JAVA_INT_UNALIGNED.withName("flags"),
            JAVA_LONG_UNALIGNED.withName("desc_user_addr"), JAVA_LONG_UNALIGNED.withName("used_user_addr"),
            JAVA_LONG_UNALIGNED.withName("avail_user_addr"), JAVA_LONG_UNALIGNED.withName("log_guest_addr"));
    public static final long ADDR_INDEX = 0, ADDR_FLAGS = 4, ADDR_DESC = 8, ADDR_USED = 16, ADDR_AVAIL = 24, ADDR_LOG = 32;

    /** VhostUserMemoryRegion (32 bytes). */
    public static final StructLayout MEMORY_REGION = MemoryLayout.structLayout(
            JAVA_LONG_UNALIGNED.withName("guest_phys_addr"), JAVA_LONG_UNALIGNED.withName("memory_size"),
            JAVA_LONG_UNALIGNED.withName("userspace_addr"), JAVA_LONG_UNALIGNED.withName("mmap_offset"));
    public static final long REGION_GPA = 0, REGION_SIZE = 8, REGION_UADDR = 16, REGION_MMAP_OFFSET = 24;

    /** SET_MEM_TABLE: {u32 nregions; u32 padding; region[nregions]}, at most 8 regions. */
    public static final long MEM_TABLE_HEADER = 8;
    public static final int MEM_TABLE_MAX_REGIONS = 8;

    /** ADD_MEM_REG / REM_MEM_REG: {u64 padding; region} (40 bytes). */
    public static final long MEM_REG_MSG_SIZE = 8 + 32, MEM_REG_REGION = 8;

    /** VhostUserConfig: {u32 offset; u32 size; u32 flags; u8 region[size]}; the device config space is at most 256 bytes. */
    public static final long CONFIG_HEADER = 12, CONFIG_OFFSET = 0, CONFIG_SIZE = 4, CONFIG_FLAGS = 8;
    public static final int CONFIG_MAX = 256;
}
