package dev.panamavgpu.vhostuser.fuzz;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.panamavgpu.vhostuser.backend.FrontEndIdentity;

/**
 * Fuzz targets: the VM name from a peer's /proc/PID/cmdline, and from a libvirt pidfile's name (untrusted: any process can connect to a
 * listening socket). Oracles: no exception; the name is null or 1..64 characters of letters,
 * digits, {@code .-_+:@?} (nothing that could break a log line).
 */
class CmdlineFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void name(byte[] cmdline) {
        String n = FrontEndIdentity.nameFromCmdline(cmdline);
        if (n == null) return;
        assertTrue(n.codePointCount(0, n.length()) >= 1 && n.codePointCount(0, n.length()) <= 64, n);
        n.codePoints().forEach(cp -> assertTrue(Character.isLetterOrDigit(cp) || ".-_+:@?".indexOf(cp) >= 0, n));
    }

    /** The same oracles for the name in a libvirt pidfile's name (a directory QEMU's user can write to). */
    @FuzzTest(maxDuration = "10s")
    void pidfileName(String fileName) {
        if (fileName == null) return;
        String n = FrontEndIdentity.nameFromPidfileName(fileName);
        if (n == null) return;
        assertTrue(n.codePointCount(0, n.length()) >= 1 && n.codePointCount(0, n.length()) <= 64, n);
        n.codePoints().forEach(cp -> assertTrue(Character.isLetterOrDigit(cp) || ".-_+:@?".indexOf(cp) >= 0, n));
    }
}
