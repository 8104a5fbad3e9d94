package dev.panamavgpu.vnc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The wire structures have the sizes and offsets RFC 6143 gives. */
class RfbWireTest {
    @Test
    void sizes() {
        assertEquals(16, RfbWire.PIXEL_FORMAT.byteSize());
        assertEquals(24, RfbWire.SERVER_INIT.byteSize());
        assertEquals(20, RfbWire.SET_PIXEL_FORMAT_MSG.byteSize());
        assertEquals(4, RfbWire.SET_ENCODINGS_MSG.byteSize());
        assertEquals(10, RfbWire.UPDATE_REQUEST_MSG.byteSize());
        assertEquals(8, RfbWire.KEY_EVENT_MSG.byteSize());
        assertEquals(6, RfbWire.POINTER_EVENT_MSG.byteSize());
        assertEquals(8, RfbWire.CUT_TEXT_MSG.byteSize());
        assertEquals(10, RfbWire.CONTINUOUS_UPDATES_MSG.byteSize());
        assertEquals(9, RfbWire.FENCE_MSG.byteSize());
        assertEquals(8, RfbWire.SET_DESKTOP_SIZE_MSG.byteSize());
        assertEquals(16, RfbWire.SCREEN.byteSize());
        assertEquals(12, RfbWire.QEMU_KEY_MSG.byteSize());
        assertEquals(4, RfbWire.UPDATE_HEADER.byteSize());
        assertEquals(12, RfbWire.RECT_HEADER.byteSize());
    }

    @Test
    void offsets() {
        assertEquals(4, RfbWire.offset(RfbWire.SET_PIXEL_FORMAT_MSG, "format"));
        assertEquals(4, RfbWire.offset(RfbWire.SERVER_INIT, "format"));
        assertEquals(20, RfbWire.offset(RfbWire.SERVER_INIT, "name_length"));
        assertEquals(10, RfbWire.offset(RfbWire.PIXEL_FORMAT, "red_shift"));
        assertEquals(4, RfbWire.offset(RfbWire.KEY_EVENT_MSG, "keysym"));
        assertEquals(8, RfbWire.offset(RfbWire.FENCE_MSG, "length"));
        assertEquals(6, RfbWire.offset(RfbWire.SET_DESKTOP_SIZE_MSG, "screens"));
        assertEquals(8, RfbWire.offset(RfbWire.QEMU_KEY_MSG, "keycode"));
        assertEquals(8, RfbWire.offset(RfbWire.RECT_HEADER, "encoding"));
    }
}
