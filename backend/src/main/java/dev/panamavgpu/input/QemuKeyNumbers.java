package dev.panamavgpu.input;

/**
 * QEMU key number (what RFB's QEMU extended key event carries: the XT/set-1 scancode, with 0xE0-prefixed
 * keys as 0x80 | code) -> Linux key code. For the plain set-1 keys the two are the same number; the
 * extended ones need the table. Unknown numbers give 0 (the caller falls back to the keysym).
 */
public final class QemuKeyNumbers {
    private QemuKeyNumbers() {}

    private static final int[] EXTENDED = new int[0x80];

    static {
        e(0x1c, 96);  // KP_Enter
        e(0x1d, 97);  // Right Ctrl
        e(0x35, 98);  // KP_Divide
        e(0x37, 99);  // Print / SysRq
        e(0x38, 100); // Right Alt
        e(0x47, 102); // Home
        e(0x48, 103); // Up
        e(0x49, 104); // Page Up
        e(0x4b, 105); // Left
        e(0x4d, 106); // Right
        e(0x4f, 107); // End
        e(0x50, 108); // Down
        e(0x51, 109); // Page Down
        e(0x52, 110); // Insert
        e(0x53, 111); // Delete
        e(0x5b, 125); // Left Meta
        e(0x5c, 126); // Right Meta
        e(0x5d, 127); // Menu (Compose)
    }

    private static void e(int scancode, int linux) { EXTENDED[scancode] = linux; }

    /** The Linux key code for QEMU key number {@code number}, 0 if unknown. */
    public static int toLinux(int number) {
        if (number >= 0x01 && number <= 0x53) return number;        // Esc .. KP_Decimal: identical
        if (number >= 0x56 && number <= 0x58) return number;        // 102nd key, F11, F12
        if (number >= 0x80 && number <= 0xff) return EXTENDED[number & 0x7f];
        return 0;
    }

    /** Every code {@link #toLinux} can produce. */
    static int[] codes() {
        int n = 0;
        int[] all = new int[0x53 + 3 + EXTENDED.length];
        for (int i = 1; i <= 0x53; i++) all[n++] = i;
        for (int i = 0x56; i <= 0x58; i++) all[n++] = i;
        for (int c : EXTENDED) if (c != 0) all[n++] = c;
        return java.util.Arrays.copyOf(all, n);
    }
}
