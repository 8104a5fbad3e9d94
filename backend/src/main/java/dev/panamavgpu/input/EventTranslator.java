package dev.panamavgpu.input;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Turns viewer input (keysyms or QEMU key numbers, RFB button masks and pixel positions) into evdev
 * reports, remembering what is pressed and where the pointer is. Not thread-safe: its owner serialises calls.
 */
public final class EventTranslator {
    private static final int[] BUTTONS = {Evdev.BTN_LEFT, Evdev.BTN_MIDDLE, Evdev.BTN_RIGHT}; // mask bits 0, 1, 2
    private final BitSet pressed = new BitSet(Evdev.KEY_CODE_MAX + 1);
    private int lastMask;
    private int lastX = -1, lastY = -1;
    private long unknownKeys;

    /** The report for a key, or null when neither the key number nor the keysym is known. */
    public InputReport key(int keysym, int keycode, boolean down) {
        int code = keycode != 0 ? QemuKeyNumbers.toLinux(keycode) : 0;
        if (code == 0) code = Keysyms.toLinux(keysym);
        if (code == 0) {
            unknownKeys++;
            return null;
        }
        // a second press without release is the viewer's autorepeat: value 2, which the guest passes on
        // (a plain 1 for a key already down would be dropped by the guest's input core)
        int value = down ? (pressed.get(code) ? 2 : 1) : 0;
        pressed.set(code, down);
        return new InputReport(List.of(new InputEvent(Evdev.EV_KEY, code, value), InputEvent.SYN), false);
    }

    /** The report for a pointer event, or null if nothing changed. */
    public InputReport pointer(int mask, int x, int y, int width, int height) {
        List<InputEvent> ev = new ArrayList<>(8);
        int ax = scale(x, width), ay = scale(y, height);
        if (ax != lastX) ev.add(new InputEvent(Evdev.EV_ABS, Evdev.ABS_X, ax));
        if (ay != lastY) ev.add(new InputEvent(Evdev.EV_ABS, Evdev.ABS_Y, ay));
        lastX = ax;
        lastY = ay;
        boolean motionOnly = true;
        int changed = (mask ^ lastMask) & 0x7f;
        for (int b = 0; b < BUTTONS.length; b++) {
            if ((changed & (1 << b)) != 0) {
                ev.add(new InputEvent(Evdev.EV_KEY, BUTTONS[b], (mask >> b) & 1));
                motionOnly = false;
            }
        }
        // wheel "buttons" are clicks: one notch per press, nothing on release
        int pressedNow = changed & mask;
        if ((pressedNow & 0x08) != 0) ev.add(new InputEvent(Evdev.EV_REL, Evdev.REL_WHEEL, 1));
        if ((pressedNow & 0x10) != 0) ev.add(new InputEvent(Evdev.EV_REL, Evdev.REL_WHEEL, -1));
        if ((pressedNow & 0x20) != 0) ev.add(new InputEvent(Evdev.EV_REL, Evdev.REL_HWHEEL, -1));
        if ((pressedNow & 0x40) != 0) ev.add(new InputEvent(Evdev.EV_REL, Evdev.REL_HWHEEL, 1));
        if ((pressedNow & 0x78) != 0) motionOnly = false;
        lastMask = mask & 0x7f;
        if (ev.isEmpty()) return null;
        ev.add(InputEvent.SYN);
        return new InputReport(ev, motionOnly);
    }

    /** One report releasing every key and button down, or null if none is. */
    public InputReport releaseAll() {
        List<InputEvent> ev = new ArrayList<>();
        for (int c = pressed.nextSetBit(0); c >= 0; c = pressed.nextSetBit(c + 1)) ev.add(new InputEvent(Evdev.EV_KEY, c, 0));
        for (int b = 0; b < BUTTONS.length; b++) if ((lastMask & (1 << b)) != 0) ev.add(new InputEvent(Evdev.EV_KEY, BUTTONS[b], 0));
        pressed.clear();
        lastMask = 0;
        if (ev.isEmpty()) return null;
        ev.add(InputEvent.SYN);
        return new InputReport(ev, false);
    }

    /** Pixel {@code p} of {@code size} on 0..ABS_MAX, the last pixel at ABS_MAX; out-of-range values clamped. */
    static int scale(int p, int size) {
        if (size <= 1 || p <= 0) return 0;
        if (p >= size - 1) return Evdev.ABS_MAX;
        return (int) (((long) p * Evdev.ABS_MAX + (size - 1) / 2) / (size - 1));
    }

    /** Forgets what is pressed (the guest's driver was reset: it has forgotten too). */
    public void forgetPressed() {
        pressed.clear();
        lastMask = 0;
        lastX = lastY = -1;
    }

    public long unknownKeys() { return unknownKeys; }
}
