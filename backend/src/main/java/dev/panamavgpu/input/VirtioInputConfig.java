package dev.panamavgpu.input;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * {@code struct virtio_input_config} (136 bytes): the driver writes {@code select} and {@code subsel},
 * then reads {@code size} and that many bytes of {@code u}. Also the select values and
 * {@code struct virtio_input_absinfo} / {@code virtio_input_devids} offsets inside {@code u}.
 */
public final class VirtioInputConfig {
    private VirtioInputConfig() {}

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_BYTE.withName("select"),
            ValueLayout.JAVA_BYTE.withName("subsel"),
            ValueLayout.JAVA_BYTE.withName("size"),
            MemoryLayout.sequenceLayout(5, ValueLayout.JAVA_BYTE).withName("reserved"),
            MemoryLayout.sequenceLayout(128, ValueLayout.JAVA_BYTE).withName("u"));

    public static final int SELECT = offset("select");
    public static final int SUBSEL = offset("subsel");
    public static final int SIZE_FIELD = offset("size");
    public static final int U = offset("u");
    public static final int U_BYTES = 128;
    public static final int SIZE = (int) LAYOUT.byteSize();

    // select values
    public static final int CFG_UNSET = 0x00, CFG_ID_NAME = 0x01, CFG_ID_SERIAL = 0x02, CFG_ID_DEVIDS = 0x03,
            CFG_PROP_BITS = 0x10, CFG_EV_BITS = 0x11, CFG_ABS_INFO = 0x12;

    /** struct virtio_input_absinfo: le32 min, max, fuzz, flat, res (offsets inside u). */
    public static final int ABS_MIN = 0, ABS_MAX = 4, ABS_FUZZ = 8, ABS_FLAT = 12, ABS_RES = 16, ABSINFO_SIZE = 20;
    /** struct virtio_input_devids: le16 bustype, vendor, product, version (offsets inside u). */
    public static final int DEVIDS_BUSTYPE = 0, DEVIDS_VENDOR = 2, DEVIDS_PRODUCT = 4, DEVIDS_VERSION = 6, DEVIDS_SIZE = 8;

    private static int offset(String name) {
        return (int) LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement(name));
    }
}
