package dev.panamavgpu.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.vnc.VncAddress;
import dev.panamavgpu.vnc.VncConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The --vnc options: addresses, and None only when asked for or on a unix socket. */
class VncOptionsTest {
    @TempDir Path dir;

    @Test
    void addresses() {
        assertEquals(new VncAddress.Tcp("127.0.0.1", 5901), VncAddress.parse("127.0.0.1:5901"));
        assertEquals(new VncAddress.Tcp("::1", 5900), VncAddress.parse("[::1]:5900"));
        assertEquals(new VncAddress.Unix(Path.of("/run/vnc.sock")), VncAddress.parse("unix:/run/vnc.sock"));
        for (String bad : new String[] {"5901", ":5901", "host:", "host:x", "host:65536", "unix:"})
            assertThrows(IllegalArgumentException.class, () -> VncAddress.parse(bad), bad);
    }

    @Test
    void noneOnlyWhenAskedForOrOnAUnixSocket() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> VncOptions.config("127.0.0.1:5901", null, false, 8, 0));
        assertTrue(e.getMessage().contains("--vnc-password-file"), e.getMessage());
        VncConfig open = VncOptions.config("127.0.0.1:5901", null, true, 8, 0);
        assertTrue(open.allowNone());
        assertNull(open.password());
        assertTrue(VncOptions.config("unix:" + dir.resolve("v.sock"), null, false, 8, 0).allowNone());

        Path pw = Files.writeString(dir.resolve("pw"), "secret12\nsecond line\n");
        VncConfig locked = VncOptions.config("unix:" + dir.resolve("v.sock"), pw, false, 3, 1);
        assertFalse(locked.allowNone(), "a password file means VNC authentication, also on a unix socket");
        assertArrayEquals("secret12".getBytes(), locked.password());
        assertEquals(3, locked.maxViewers());
        assertEquals(1, locked.scanout());
        assertThrows(IllegalArgumentException.class, () -> VncOptions.config("127.0.0.1:5901", pw, true, 8, 0));
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThrows(IllegalArgumentException.class, () -> VncOptions.config("127.0.0.1:5901", empty, false, 8, 0));
        assertThrows(IllegalArgumentException.class, () -> VncOptions.config("127.0.0.1:5901", null, true, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> VncOptions.config("127.0.0.1:5901", null, true, 8, 16));
    }

    @Test
    void theExecutableRefusesAnOpenTcpListenerNotAskedFor() {
        assertEquals(2, Main.run("--socket-path", dir.resolve("g.sock").toString(), "--vnc=127.0.0.1:0", "--page-dir", dir.toString()));
    }
}
