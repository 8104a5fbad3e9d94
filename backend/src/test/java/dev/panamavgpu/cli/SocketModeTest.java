package dev.panamavgpu.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The listening socket the executable makes is 0600 unless --socket-mode says otherwise. */
class SocketModeTest {

    /** Starts the back-end executable, returns the permissions of its socket, then stops it (SIGTERM). */
    private static String socketPermissions(String... extra) throws Exception {
        Path path = Path.of("/tmp/pvgpu-mode-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".sock");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--socket-path", path.toString()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!Files.exists(path) && p.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
            assertTrue(Files.exists(path), "the back-end did not create its socket");
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } finally {
            p.destroy();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the back-end stops on SIGTERM");
            Files.deleteIfExists(path); // a SIGTERM during start-up may come before the hook that unlinks it
        }
    }

    @Test
    void defaultModeIs0600() throws Exception {
        assertEquals("rw-------", socketPermissions());
    }

    @Test
    void socketModeOptionChangesIt() throws Exception {
        assertEquals("rw-rw----", socketPermissions("--socket-mode", "0660"));
    }
}
