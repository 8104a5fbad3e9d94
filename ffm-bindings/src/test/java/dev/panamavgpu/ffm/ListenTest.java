package dev.panamavgpu.ffm;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenTest {
    @Test
    void theSocketFileAppearsListeningAndNoStagingNameIsLeft(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("s.sock");
        try (Fd l = UnixSockets.listen(p.toString(), 0600, 1); Fd c = UnixSockets.connect(p.toString())) {
            assertTrue(c.isOpen());
            assertFalse(Files.exists(dir.resolve("s.sock.binding")));
            try (var files = Files.list(dir)) {
                assertEquals(1, files.count());
            }
        }
    }

    @Test
    void aPathTooLongToStageIsBoundInPlace(@TempDir Path dir) throws Exception {
        String name = "x".repeat(Math.max(1, 104 - dir.toString().length())); // fits, its staging name does not
        Path p = dir.resolve(name);
        assertTrue(p.toString().length() < 108 && (p + ".binding").length() >= 108, p.toString());
        try (Fd l = UnixSockets.listen(p.toString(), 0600, 1); Fd c = UnixSockets.connect(p.toString())) {
            assertTrue(c.isOpen());
        }
    }
}
