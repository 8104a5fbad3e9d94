package dev.panamavgpu.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StatsServerTest {
    @Test
    void eachConnectionGetsFreshFiguresAndTheSocketIsPrivate() throws Exception {
        Path p = Path.of("/tmp", "pvgpu-stats-" + ProcessHandle.current().pid() + ".sock");
        AtomicInteger n = new AtomicInteger();
        try (StatsServer s = StatsServer.start(p, () -> "queries " + n.incrementAndGet() + "\n")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
            assertEquals("queries 1\n", StatsServer.query(p));
            assertEquals("queries 2\n", StatsServer.query(p));
        }
        assertFalse(Files.exists(p), "the socket file is removed on close");
    }
}
