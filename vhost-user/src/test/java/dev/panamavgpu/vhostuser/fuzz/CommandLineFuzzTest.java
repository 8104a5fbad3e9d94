package dev.panamavgpu.vhostuser.fuzz;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.panamavgpu.vhostuser.backend.FrontEndIdentity;

/**
 * Fuzz target: the peer's command line as the figures show it with --max-vms, from its
 * /proc/PID/cmdline (untrusted: any process with the backend's uid may connect). Oracles: no
 * exception; one line of printable ASCII, at most 512 characters, no leading or trailing space
 * (nothing that could forge or break a figures line).
 */
class CommandLineFuzzTest {
    @FuzzTest(maxDuration = "5s")
    void commandLine(byte[] cmdline) {
        String l = FrontEndIdentity.printableCommandLine(cmdline);
        assertTrue(l.length() <= 512, l);
        l.chars().forEach(c -> assertTrue(c >= 0x20 && c < 0x7f, l));
        assertEquals(l.strip(), l);
    }
}
