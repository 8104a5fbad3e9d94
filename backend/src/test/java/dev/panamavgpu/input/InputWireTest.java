package dev.panamavgpu.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * Sizes and offsets of the virtio-input wire structs: sizeof/offsetof from linux/virtio_input.h
 * (linux-libc-dev of Debian 12, gcc on x86_64): config 136, size at 2, u at 8; event 8, value at 4;
 * absinfo 20; devids 8.
 */
class InputWireTest {
    @Test
    void configLayout() {
        assertEquals(136, VirtioInputConfig.SIZE);
        assertEquals(0, VirtioInputConfig.SELECT);
        assertEquals(1, VirtioInputConfig.SUBSEL);
        assertEquals(2, VirtioInputConfig.SIZE_FIELD);
        assertEquals(8, VirtioInputConfig.U);
        assertEquals(20, VirtioInputConfig.ABSINFO_SIZE);
        assertEquals(8, VirtioInputConfig.DEVIDS_SIZE);
    }

    @Test
    void eventLayoutIsLittleEndian() {
        assertEquals(8, InputEvent.SIZE);
        assertEquals(0, InputEvent.TYPE);
        assertEquals(2, InputEvent.CODE);
        assertEquals(4, InputEvent.VALUE);
        MemorySegment s = MemorySegment.ofArray(new byte[8]);
        new InputEvent(Evdev.EV_KEY, Evdev.BTN_LEFT, -1).write(s, 0);
        assertEquals("01 00 10 01 ff ff ff ff", hex(s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
        assertEquals(new InputEvent(Evdev.EV_KEY, Evdev.BTN_LEFT, -1), InputEvent.read(s, 0));
    }

    static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(sb.isEmpty() ? "" : " ").append(String.format("%02x", x));
        return sb.toString();
    }
}
