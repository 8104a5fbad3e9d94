package dev.panamavgpu.input;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** {@code struct virtio_input_event} (8 bytes): one evdev event as the eventq carries it. */
public record InputEvent(int type, int code, int value) {
    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            LE16.withName("type"), LE16.withName("code"), LE32.withName("value"));
    public static final long TYPE = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("type"));
    public static final long CODE = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("code"));
    public static final long VALUE = LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("value"));
    public static final long SIZE = LAYOUT.byteSize();

    public static final InputEvent SYN = new InputEvent(Evdev.EV_SYN, Evdev.SYN_REPORT, 0);

    public InputEvent {
        if ((type & ~0xffff) != 0 || (code & ~0xffff) != 0) throw new IllegalArgumentException("type/code beyond 16 bits");
    }

    public void write(MemorySegment s, long offset) {
        s.set(LE16, offset + TYPE, (short) type);
        s.set(LE16, offset + CODE, (short) code);
        s.set(LE32, offset + VALUE, value);
    }

    public static InputEvent read(MemorySegment s, long offset) {
        return new InputEvent(Short.toUnsignedInt(s.get(LE16, offset + TYPE)), Short.toUnsignedInt(s.get(LE16, offset + CODE)),
                s.get(LE32, offset + VALUE));
    }
}
