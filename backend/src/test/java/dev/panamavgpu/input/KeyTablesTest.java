package dev.panamavgpu.input;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The keysym and QEMU key number tables against linux/input-event-codes.h numbers. */
class KeyTablesTest {
    @Test
    void keysymsOfTheCommonKeys() {
        assertEquals(30, Keysyms.toLinux('a'));
        assertEquals(30, Keysyms.toLinux('A'));
        assertEquals(44, Keysyms.toLinux('z'));
        assertEquals(25, Keysyms.toLinux('p'));
        assertEquals(2, Keysyms.toLinux('1'));
        assertEquals(2, Keysyms.toLinux('!'));       // Shift+1 on a US layout
        assertEquals(11, Keysyms.toLinux('0'));
        assertEquals(11, Keysyms.toLinux(')'));
        assertEquals(57, Keysyms.toLinux(' '));
        assertEquals(53, Keysyms.toLinux('?'));
        assertEquals(43, Keysyms.toLinux('\\'));
        assertEquals(40, Keysyms.toLinux('"'));
        assertEquals(28, Keysyms.toLinux(0xff0d));   // Return
        assertEquals(1, Keysyms.toLinux(0xff1b));    // Escape
        assertEquals(14, Keysyms.toLinux(0xff08));   // BackSpace
        assertEquals(15, Keysyms.toLinux(0xff09));   // Tab
        assertEquals(103, Keysyms.toLinux(0xff52));  // Up
        assertEquals(108, Keysyms.toLinux(0xff54));  // Down
        assertEquals(59, Keysyms.toLinux(0xffbe));   // F1
        assertEquals(68, Keysyms.toLinux(0xffc7));   // F10
        assertEquals(87, Keysyms.toLinux(0xffc8));   // F11
        assertEquals(88, Keysyms.toLinux(0xffc9));   // F12
        assertEquals(42, Keysyms.toLinux(0xffe1));   // Shift_L
        assertEquals(29, Keysyms.toLinux(0xffe3));   // Control_L
        assertEquals(56, Keysyms.toLinux(0xffe9));   // Alt_L
        assertEquals(125, Keysyms.toLinux(0xffeb));  // Super_L
        assertEquals(111, Keysyms.toLinux(0xffff));  // Delete
        assertEquals(82, Keysyms.toLinux(0xffb0));   // KP_0
        assertEquals(0, Keysyms.toLinux(0x20ac));    // EuroSign: not in the table
    }

    @Test
    void qemuKeyNumbers() {
        assertEquals(1, QemuKeyNumbers.toLinux(0x01));     // Esc
        assertEquals(30, QemuKeyNumbers.toLinux(0x1e));    // A
        assertEquals(88, QemuKeyNumbers.toLinux(0x58));    // F12
        assertEquals(97, QemuKeyNumbers.toLinux(0x9d));    // E0 1D right ctrl
        assertEquals(103, QemuKeyNumbers.toLinux(0xc8));   // E0 48 up
        assertEquals(111, QemuKeyNumbers.toLinux(0xd3));   // E0 53 delete
        assertEquals(125, QemuKeyNumbers.toLinux(0xdb));   // E0 5B left meta
        assertEquals(0, QemuKeyNumbers.toLinux(0));
        assertEquals(0, QemuKeyNumbers.toLinux(0x80));
        assertEquals(0, QemuKeyNumbers.toLinux(0x1_0000));
        assertEquals(0, QemuKeyNumbers.toLinux(-5));
    }
}
