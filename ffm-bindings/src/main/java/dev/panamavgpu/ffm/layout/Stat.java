package dev.panamavgpu.ffm.layout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

/** struct stat on x86_64 glibc (144 bytes); only the fields the project reads are named. */
public final class Stat {
    private Stat() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("st_dev"),
            JAVA_LONG.withName("st_ino"),
            JAVA_LONG.withName("st_nlink"),
            JAVA_INT.withName("st_mode"),
            JAVA_INT.withName("st_uid"),
            JAVA_INT.withName("st_gid"),
            MemoryLayout.paddingLayout(4),
            JAVA_LONG.withName("st_rdev"),
            JAVA_LONG.withName("st_size"),
            JAVA_LONG.withName("st_blksize"),
            JAVA_LONG.withName("st_blocks"),
            MemoryLayout.paddingLayout(72)); // timespecs and reserved words

    public static final long ST_MODE = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("st_mode"));
    public static final long ST_SIZE = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("st_size"));
}
