package dev.panamavgpu.input;

/** The Linux input event codes (linux/input-event-codes.h) this device sends. */
public final class Evdev {
    private Evdev() {}

    public static final int EV_SYN = 0x00, EV_KEY = 0x01, EV_REL = 0x02, EV_ABS = 0x03, EV_LED = 0x11;
    public static final int SYN_REPORT = 0;
    public static final int BTN_LEFT = 0x110, BTN_RIGHT = 0x111, BTN_MIDDLE = 0x112;
    public static final int REL_HWHEEL = 0x06, REL_WHEEL = 0x08;
    public static final int ABS_X = 0x00, ABS_Y = 0x01;
    /** The axes run 0..ABS_MAX, like QEMU's own virtio tablet (INPUT_EVENT_ABS_MAX). */
    public static final int ABS_MAX = 0x7fff;

    // the keys named in tests and tables
    public static final int KEY_ESC = 1, KEY_1 = 2, KEY_0 = 11, KEY_MINUS = 12, KEY_EQUAL = 13, KEY_BACKSPACE = 14,
            KEY_TAB = 15, KEY_Q = 16, KEY_ENTER = 28, KEY_LEFTCTRL = 29, KEY_A = 30, KEY_LEFTSHIFT = 42, KEY_B = 48,
            KEY_SPACE = 57, KEY_F1 = 59, KEY_F10 = 68, KEY_F11 = 87, KEY_F12 = 88, KEY_RIGHTCTRL = 97, KEY_UP = 103,
            KEY_LEFT = 105, KEY_RIGHT = 106, KEY_DOWN = 108, KEY_DELETE = 111;
    /** Highest key or button code this device can send. */
    public static final int KEY_CODE_MAX = BTN_MIDDLE;
}
