package dev.panamavgpu.testguest.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamavgpu.input.InputConfigSpace;
import dev.panamavgpu.input.VirtioInputConfig;
import dev.panamavgpu.testguest.vm.BackendProcess;
import dev.panamavgpu.vhostuser.frontend.DeviceSession;
import dev.panamavgpu.vhostuser.frontend.FrontendConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The executable with {@code --input-socket} next to the GPU socket, sandbox on (the default): the input
 * socket is bound before the sandbox is entered and served after it, and the device answers there.
 */
class InputBackendProcessTest {
    @Test
    void theBackendServesTheInputDeviceOnItsOwnSocketInsideTheSandbox() throws Exception {
        Path logs = Path.of("target", "input-process").toAbsolutePath();
        Path repo = Path.of("").toAbsolutePath().getParent();
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "pvgpu-inp-");
        Path gpu = dir.resolve("gpu.sock"), in = dir.resolve("in.sock");
        List<String> cmd = List.of(repo.resolve("scripts/panama-vgpu").toString(), "--socket-path=" + gpu, "--input-socket=" + in);
        try (BackendProcess backend = BackendProcess.launch(cmd, in, logs.resolve("backend.log"), Duration.ofSeconds(30))) {
            try (DeviceSession s = DeviceSession.open(FrontendConnection.connect(in.toString()), DeviceSession.Options.of(4, 4))) {
                byte[] cfg = new byte[VirtioInputConfig.SIZE];
                cfg[VirtioInputConfig.SELECT] = (byte) VirtioInputConfig.CFG_ID_NAME;
                assertEquals(0, s.connection().setConfig(0, cfg));
                byte[] got = s.connection().getConfig(0, VirtioInputConfig.SIZE);
                String name = new String(got, VirtioInputConfig.U, got[VirtioInputConfig.SIZE_FIELD], StandardCharsets.US_ASCII);
                assertEquals(InputConfigSpace.NAME, name);
            }
            assertTrue(backend.isAlive());
            int status = backend.stop();
            String log = Files.readString(logs.resolve("backend.log"));
            assertTrue(status == 0 || status == 143, "exit status " + status + " after SIGTERM; " + log);
            assertTrue(log.contains("input device listening on " + in), log);
            assertTrue(log.contains("sandbox"), log);
        } finally {
            Files.deleteIfExists(gpu);
            Files.deleteIfExists(in);
            Files.deleteIfExists(dir);
        }
    }
}
