package dev.panamavgpu.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class EventTranslatorTest {
    private static InputEvent key(int code, int v) { return new InputEvent(Evdev.EV_KEY, code, v); }

    @Test
    void keyNumberWinsOverKeysymAndRepeatIsValueTwo() {
        EventTranslator t = new EventTranslator();
        // keycode 0x30 (B) with keysym 'a': the key number says which key it is
        assertEquals(List.of(key(Evdev.KEY_B, 1), InputEvent.SYN), t.key('a', 0x30, true).events());
        assertEquals(List.of(key(Evdev.KEY_B, 2), InputEvent.SYN), t.key('a', 0x30, true).events());
        assertEquals(List.of(key(Evdev.KEY_B, 0), InputEvent.SYN), t.key('a', 0x30, false).events());
        // an unknown key number falls back to the keysym
        assertEquals(List.of(key(Evdev.KEY_A, 1), InputEvent.SYN), t.key('a', 0x7f, true).events());
        assertNull(t.key(0x20ac, 0, true));
        assertEquals(1, t.unknownKeys());
    }

    @Test
    void pointerScalesButtonsAndWheel() {
        EventTranslator t = new EventTranslator();
        InputReport r = t.pointer(0, 640, 400, 1281, 801);
        assertEquals(List.of(new InputEvent(Evdev.EV_ABS, Evdev.ABS_X, 16384), new InputEvent(Evdev.EV_ABS, Evdev.ABS_Y, 16384),
                InputEvent.SYN), r.events());
        assertTrue(r.motionOnly());
        assertNull(t.pointer(0, 640, 400, 1281, 801)); // nothing changed
        r = t.pointer(0x01, 640, 400, 1281, 801);
        assertEquals(List.of(key(Evdev.BTN_LEFT, 1), InputEvent.SYN), r.events());
        assertFalse(r.motionOnly());
        r = t.pointer(0x04 | 0x08, 1280, 800, 1281, 801);
        assertEquals(List.of(new InputEvent(Evdev.EV_ABS, Evdev.ABS_X, Evdev.ABS_MAX), new InputEvent(Evdev.EV_ABS, Evdev.ABS_Y, Evdev.ABS_MAX),
                key(Evdev.BTN_LEFT, 0), key(Evdev.BTN_RIGHT, 1), new InputEvent(Evdev.EV_REL, Evdev.REL_WHEEL, 1), InputEvent.SYN), r.events());
        // wheel release: nothing; wheel down press: one notch down
        assertNull(t.pointer(0x04, 1280, 800, 1281, 801));
        assertEquals(List.of(new InputEvent(Evdev.EV_REL, Evdev.REL_WHEEL, -1), InputEvent.SYN), t.pointer(0x14, 1280, 800, 1281, 801).events());
    }

    @Test
    void releaseAllLetsGoOfHeldKeysAndButtonsOnce() {
        EventTranslator t = new EventTranslator();
        t.key(0xffe3, 0, true);  // Control_L
        t.key('c', 0, true);
        t.key('c', 0, false);
        t.pointer(0x05, 10, 10, 100, 100); // left + right
        assertEquals(List.of(key(Evdev.KEY_LEFTCTRL, 0), key(Evdev.BTN_LEFT, 0), key(Evdev.BTN_RIGHT, 0), InputEvent.SYN),
                t.releaseAll().events());
        assertNull(t.releaseAll());
        assertEquals(List.of(key(Evdev.BTN_LEFT, 1), InputEvent.SYN), t.pointer(0x01, 10, 10, 100, 100).events());
    }

    @Test
    void scaleClampsAndMapsTheEdges() {
        assertEquals(0, EventTranslator.scale(-3, 800));
        assertEquals(0, EventTranslator.scale(0, 800));
        assertEquals(Evdev.ABS_MAX, EventTranslator.scale(799, 800));
        assertEquals(Evdev.ABS_MAX, EventTranslator.scale(65535, 800));
        assertEquals(0, EventTranslator.scale(5, 0));
        assertEquals(0, EventTranslator.scale(5, 1));
    }
}
