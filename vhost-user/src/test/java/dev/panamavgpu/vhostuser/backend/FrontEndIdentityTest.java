package dev.panamavgpu.vhostuser.backend;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.UnixSockets;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void libvirtsPidfileNameGivesTheVmName() {
        assertEquals("panama-vgpu-test", FrontEndIdentity.nameFromPidfileName("1-panama-vgpu-test-video0-vhost-user-gpu.pid"));
        assertEquals("web1", FrontEndIdentity.nameFromPidfileName("12-web1-video0-vhost-user-gpu.pid"));
        assertEquals("a?b", FrontEndIdentity.nameFromPidfileName("3-a\nb-video0-vhost-user-gpu.pid"));
        assertNull(FrontEndIdentity.nameFromPidfileName("panama-vgpu-test.pid"));
        assertNull(FrontEndIdentity.nameFromPidfileName("driver.pid"));
        assertNull(FrontEndIdentity.nameFromPidfileName("x-web1-video0-vhost-user-gpu.pid"));
    }

    @Test
    void thePidfileHoldingOurPidNamesTheVm(@TempDir Path dir) throws Exception {
        long me = ProcessHandle.current().pid();
        Files.writeString(dir.resolve("1-other-video0-vhost-user-gpu.pid"), (me + 1) + "\n");
        Files.writeString(dir.resolve("2-mine-video0-vhost-user-gpu.pid"), me + "\n");
        Files.writeString(dir.resolve("mine.pid"), me + "\n");
        assertEquals("mine", FrontEndIdentity.nameFromLibvirtPidfiles(dir, me));
        assertNull(FrontEndIdentity.nameFromLibvirtPidfiles(dir, me + 2));
        assertNull(FrontEndIdentity.nameFromLibvirtPidfiles(dir.resolve("absent"), me));
    }

    @Test
    void underLibvirtThePidfileNameStandsInForTheSocketCreators() throws Exception {
        Path dir = Files.createTempDirectory("libvirt-run");
        Fd[] pair = UnixSockets.socketpair(false);
        try {
            Files.writeString(dir.resolve("4-guest7-video0-vhost-user-gpu.pid"), ProcessHandle.current().pid() + "\n");
            assertEquals("guest7", FrontEndIdentity.learnLibvirtName(dir));
            // the peer (this JVM, as libvirtd would be) has no -name: the pidfile's name is used
            assertEquals("vm=guest7 pid=" + ProcessHandle.current().pid(), FrontEndIdentity.identify(pair[0]));
        } finally {
            FrontEndIdentity.learnLibvirtName(dir.resolve("absent"));
            pair[0].close();
            pair[1].close();
            try (var s = Files.list(dir)) { for (Path p : s.toList()) Files.delete(p); }
            Files.delete(dir);
        }
    }
}
