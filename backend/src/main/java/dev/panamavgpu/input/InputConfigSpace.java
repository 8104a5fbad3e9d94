package dev.panamavgpu.input;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;

/**
 * The device's config space: what it is (name, serial, ids) and which events it sends (EV_KEY with
 * the keyboard's keys and three buttons, EV_REL wheel, EV_ABS X/Y on 0..32767), answered per
 * select/subsel. Both are single bytes written by the driver; every value has an answer (unknown ones:
 * size 0, "not supported"), so nothing the guest writes can index past the tables.
 * No EV_REP: the viewer repeats keys itself, a second repeat in the guest would double them.
 */
public final class InputConfigSpace {
    public static final String NAME = "panama-vgpu input";
    public static final String SERIAL = "panama-vgpu";
    static final int BUS_VIRTUAL = 0x06;

    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final BitSet KEY_BITS = new BitSet();
    private static final BitSet REL_BITS = new BitSet();
    private static final BitSet ABS_BITS = new BitSet();

    static {
        for (int c : Keysyms.codes()) KEY_BITS.set(c);
        for (int c : QemuKeyNumbers.codes()) KEY_BITS.set(c);
        KEY_BITS.set(Evdev.BTN_LEFT);
        KEY_BITS.set(Evdev.BTN_RIGHT);
        KEY_BITS.set(Evdev.BTN_MIDDLE);
        REL_BITS.set(Evdev.REL_WHEEL);
        REL_BITS.set(Evdev.REL_HWHEEL);
        ABS_BITS.set(Evdev.ABS_X);
        ABS_BITS.set(Evdev.ABS_Y);
    }

    /** How many key and button codes the device can send (each can hold one pending release). */
    static int keyCodeCount() { return KEY_BITS.cardinality(); }

    private int select, subsel;

    /** The driver's write of config bytes at {@code offset}: only select and subsel are writable. */
    public boolean write(int offset, MemorySegment src) {
        long end = offset + src.byteSize();
        if (offset < 0 || end > VirtioInputConfig.SIZE) return false;
        // QEMU writes the whole 136 bytes back on every change; the read-only rest is ignored
        if (offset <= VirtioInputConfig.SELECT && end > VirtioInputConfig.SELECT)
            select = Byte.toUnsignedInt(src.get(ValueLayout.JAVA_BYTE, VirtioInputConfig.SELECT - offset));
        if (offset <= VirtioInputConfig.SUBSEL && end > VirtioInputConfig.SUBSEL)
            subsel = Byte.toUnsignedInt(src.get(ValueLayout.JAVA_BYTE, VirtioInputConfig.SUBSEL - offset));
        return true;
    }

    /** Reads {@code dst.byteSize()} config bytes at {@code offset}; false if out of range. */
    public boolean read(int offset, MemorySegment dst) {
        if (offset < 0 || offset + dst.byteSize() > VirtioInputConfig.SIZE) return false;
        MemorySegment all = MemorySegment.ofArray(new byte[VirtioInputConfig.SIZE]);
        all.set(ValueLayout.JAVA_BYTE, VirtioInputConfig.SELECT, (byte) select);
        all.set(ValueLayout.JAVA_BYTE, VirtioInputConfig.SUBSEL, (byte) subsel);
        int size = answer(all.asSlice(VirtioInputConfig.U, VirtioInputConfig.U_BYTES));
        all.set(ValueLayout.JAVA_BYTE, VirtioInputConfig.SIZE_FIELD, (byte) size);
        MemorySegment.copy(all, offset, dst, 0, dst.byteSize());
        return true;
    }

    public void reset() {
        select = subsel = 0;
    }

    /** Fills {@code u} for the current select/subsel; returns the size (0 = not supported). */
    private int answer(MemorySegment u) {
        return switch (select) {
            case VirtioInputConfig.CFG_ID_NAME -> subsel == 0 ? string(u, NAME) : 0;
            case VirtioInputConfig.CFG_ID_SERIAL -> subsel == 0 ? string(u, SERIAL) : 0;
            case VirtioInputConfig.CFG_ID_DEVIDS -> {
                if (subsel != 0) yield 0;
                u.set(LE16, VirtioInputConfig.DEVIDS_BUSTYPE, (short) BUS_VIRTUAL);
                u.set(LE16, VirtioInputConfig.DEVIDS_VENDOR, (short) 0);
                u.set(LE16, VirtioInputConfig.DEVIDS_PRODUCT, (short) 0);
                u.set(LE16, VirtioInputConfig.DEVIDS_VERSION, (short) 1);
                yield VirtioInputConfig.DEVIDS_SIZE;
            }
            case VirtioInputConfig.CFG_EV_BITS -> switch (subsel) {
                case Evdev.EV_KEY -> bits(u, KEY_BITS);
                case Evdev.EV_REL -> bits(u, REL_BITS);
                case Evdev.EV_ABS -> bits(u, ABS_BITS);
                default -> 0;
            };
            case VirtioInputConfig.CFG_ABS_INFO -> {
                if (subsel != Evdev.ABS_X && subsel != Evdev.ABS_Y) yield 0;
                u.set(LE32, VirtioInputConfig.ABS_MIN, 0);
                u.set(LE32, VirtioInputConfig.ABS_MAX, Evdev.ABS_MAX);
                yield VirtioInputConfig.ABSINFO_SIZE; // fuzz, flat, res stay 0
            }
            default -> 0; // UNSET, PROP_BITS (no properties) and anything unknown
        };
    }

    private static int string(MemorySegment u, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        MemorySegment.copy(MemorySegment.ofArray(b), 0, u, 0, b.length);
        return b.length;
    }

    private static int bits(MemorySegment u, BitSet set) {
        byte[] b = set.toByteArray(); // little-endian bit order, as the evdev bitmaps are
        MemorySegment.copy(MemorySegment.ofArray(b), 0, u, 0, b.length);
        return b.length;
    }
}
