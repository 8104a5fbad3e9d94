package dev.panamavgpu.vhostuser.backend;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.UnixSockets;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FrontEndIdentityTest {
    private static byte[] cmdline(String... args) {
        return (String.join("\0", args) + "\0").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void libvirtsGuestKeyGivesTheName() {
        assertEquals("web-1", FrontEndIdentity.nameFromCmdline(cmdline("/usr/bin/qemu-system-x86_64", "-name",
                "guest=web-1,debug-threads=on", "-S")));
    }

    @Test
    void aPlainValueIsTheGuestName() {
        assertEquals("demo", FrontEndIdentity.nameFromCmdline(cmdline("qemu", "--name", "demo", "-m", "1G")));
    }

    @Test
    void doubledCommasAreOneCommaAndOddCharactersCannotForgeALine() {
        assertEquals("a?b??x", FrontEndIdentity.nameFromCmdline(cmdline("qemu", "-name", "guest=a,,b\n\u0007x,process=q")));
    }

    @Test
    void noNameOrNoValueIsNull() {
        assertNull(FrontEndIdentity.nameFromCmdline(cmdline("qemu", "-m", "1G")));
        assertNull(FrontEndIdentity.nameFromCmdline(cmdline("qemu", "-name")));
        assertNull(FrontEndIdentity.nameFromCmdline(cmdline("qemu", "-name", "process=x,debug-threads=on")));
        assertNull(FrontEndIdentity.nameFromCmdline(new byte[0]));
    }

    @Test
    void longNamesAreCut() {
        String n = FrontEndIdentity.nameFromCmdline(cmdline("qemu", "-name", "x".repeat(1000)));
        assertEquals(FrontEndIdentity.MAX_NAME, n.length());
    }

    @Test
    void thePeerOfASocketpairIsThisProcess() throws Exception {
        Fd[] pair = UnixSockets.socketpair(false);
        try {
            assertEquals(ProcessHandle.current().pid(), UnixSockets.peerCredentials(pair[0]).pid());
            String who = FrontEndIdentity.identify(pair[0]);
            assertTrue(who.endsWith("pid=" + ProcessHandle.current().pid()), who);
            assertEquals(who, FrontEndIdentity.current());
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }
}
