package dev.panamavgpu.input;

import java.util.HashMap;
import java.util.Map;

/**
 * X11 keysym -> Linux key code, for viewers that send plain RFB KeyEvents. The guest applies its own
 * layout to the codes, so this is the US layout seen from the keyboard: 'a' and 'A' are both KEY_A, '!'
 * is KEY_1 (the viewer sends Shift separately). Only the common keys; anything else is unknown (0).
 */
public final class Keysyms {
    private Keysyms() {}

    private static final Map<Integer, Integer> TABLE = new HashMap<>();

    /** The Linux key code for {@code keysym}, 0 if unknown. */
    public static int toLinux(int keysym) {
        Integer c = TABLE.get(keysym);
        return c == null ? 0 : c;
    }

    /** Every code the table can produce (the device advertises them). */
    static Iterable<Integer> codes() { return TABLE.values(); }

    private static void put(int keysym, int code) { TABLE.put(keysym, code); }

    /** Each character of {@code chars} and its shifted twin of {@code shifted} map to {@code firstCode}, +1, ... */
    private static void row(String chars, String shifted, int... codes) {
        for (int i = 0; i < codes.length; i++) {
            put(chars.charAt(i), codes[i]);
            if (shifted != null && shifted.charAt(i) != ' ') put(shifted.charAt(i), codes[i]);
        }
    }

    static {
        // letters: Latin-1 keysyms are the ASCII codes
        row("qwertyuiop", "QWERTYUIOP", 16, 17, 18, 19, 20, 21, 22, 23, 24, 25);
        row("asdfghjkl", "ASDFGHJKL", 30, 31, 32, 33, 34, 35, 36, 37, 38);
        row("zxcvbnm", "ZXCVBNM", 44, 45, 46, 47, 48, 49, 50);
        // digit row and punctuation (US)
        row("1234567890-=", "!@#$%^&*()_+", 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13);
        row("[];'`\\,./", "{}:\"~|<>?", 26, 27, 39, 40, 41, 43, 51, 52, 53);
        put(' ', Evdev.KEY_SPACE);
        // function and editing keys (0xffxx)
        put(0xff08, Evdev.KEY_BACKSPACE);
        put(0xff09, Evdev.KEY_TAB);
        put(0xfe20, Evdev.KEY_TAB); // ISO_Left_Tab (Shift+Tab)
        put(0xff0d, Evdev.KEY_ENTER);
        put(0xff13, 119); // Pause
        put(0xff14, 70);  // Scroll_Lock
        put(0xff15, 99);  // Sys_Req
        put(0xff61, 99);  // Print
        put(0xff1b, Evdev.KEY_ESC);
        put(0xffff, Evdev.KEY_DELETE);
        put(0xff50, 102); // Home
        put(0xff51, Evdev.KEY_LEFT);
        put(0xff52, Evdev.KEY_UP);
        put(0xff53, Evdev.KEY_RIGHT);
        put(0xff54, Evdev.KEY_DOWN);
        put(0xff55, 104); // Prior (Page Up)
        put(0xff56, 109); // Next (Page Down)
        put(0xff57, 107); // End
        put(0xff63, 110); // Insert
        put(0xff67, 127); // Menu (KEY_COMPOSE)
        for (int i = 0; i < 10; i++) put(0xffbe + i, Evdev.KEY_F1 + i); // F1..F10
        put(0xffc8, Evdev.KEY_F11);
        put(0xffc9, Evdev.KEY_F12);
        // modifiers
        put(0xffe1, Evdev.KEY_LEFTSHIFT);
        put(0xffe2, 54);  // Shift_R
        put(0xffe3, Evdev.KEY_LEFTCTRL);
        put(0xffe4, Evdev.KEY_RIGHTCTRL);
        put(0xffe5, 58);  // Caps_Lock
        put(0xffe7, 125); // Meta_L -> KEY_LEFTMETA
        put(0xffe8, 126); // Meta_R
        put(0xffe9, 56);  // Alt_L
        put(0xffea, 100); // Alt_R
        put(0xfe03, 100); // ISO_Level3_Shift (AltGr)
        put(0xffeb, 125); // Super_L
        put(0xffec, 126); // Super_R
        // keypad
        put(0xff7f, 69);  // Num_Lock
        put(0xff8d, 96);  // KP_Enter
        put(0xffaa, 55);  // KP_Multiply
        put(0xffab, 78);  // KP_Add
        put(0xffad, 74);  // KP_Subtract
        put(0xffae, 83);  // KP_Decimal
        put(0xffaf, 98);  // KP_Divide
        put(0xffbd, 117); // KP_Equal
        int[] kp = {82, 79, 80, 81, 75, 76, 77, 71, 72, 73}; // KP_0..KP_9
        for (int i = 0; i < 10; i++) put(0xffb0 + i, kp[i]);
    }
}
