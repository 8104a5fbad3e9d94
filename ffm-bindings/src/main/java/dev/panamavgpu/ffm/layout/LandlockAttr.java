package dev.panamavgpu.ffm.layout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** Landlock's wire structs (linux/landlock.h). */
public final class LandlockAttr {
    private LandlockAttr() {}

    /**
     * struct landlock_ruleset_attr; the kernel takes a prefix sized to what it knows: 8 bytes (ABI 1-3),
     * 16 with {@code handled_access_net} (ABI 4-5), 24 with {@code scoped} (ABI 6+).
     */
    public static final StructLayout RULESET = MemoryLayout.structLayout(
            JAVA_LONG.withName("handled_access_fs"),
            JAVA_LONG.withName("handled_access_net"),
            JAVA_LONG.withName("scoped"));
    public static final long HANDLED_ACCESS_FS = MsgHdr.off(RULESET, "handled_access_fs");
    public static final long HANDLED_ACCESS_NET = MsgHdr.off(RULESET, "handled_access_net");
    public static final long SCOPED = MsgHdr.off(RULESET, "scoped");

    /** struct landlock_path_beneath_attr, which is packed: 12 bytes, the fd right after the u64. */
    public static final StructLayout PATH_BENEATH = MemoryLayout.structLayout(
            JAVA_LONG.withByteAlignment(4).withName("allowed_access"),
            JAVA_INT.withName("parent_fd"));
    public static final long ALLOWED_ACCESS = MsgHdr.off(PATH_BENEATH, "allowed_access");
    public static final long PARENT_FD = MsgHdr.off(PATH_BENEATH, "parent_fd");
}
