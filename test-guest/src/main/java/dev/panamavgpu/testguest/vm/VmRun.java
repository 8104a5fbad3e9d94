package dev.panamavgpu.testguest.vm;

import dev.panamavgpu.testguest.vm.GuestScenario.StepResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One run of a backend process and a QEMU guest for a scenario: starts both, runs the scenario's
 * steps, records a QEMU that died or a harness error as a step of its own, and stops both whatever
 * happened (never leaves either running). Shared by the 2D and the 3D guest scenarios.
 */
final class VmRun {
    private VmRun() {}

    /** The guest's configuration, once the backend listens. */
    interface ConfigFor { QemuVm.Config config(BackendProcess backend, Path sockDir); }

    /** The scenario's steps, with the running backend and guest. */
    interface Steps { void run(BackendProcess backend, QemuVm vm) throws IOException; }

    /** What the run leaves for the report: QEMU's command line (empty if not reached) and how the backend ended. */
    record Ended(List<String> qemuCommandLine, String backendStatus) {}

    static Ended run(List<String> backendCommand, Path out, String sockPrefix, List<StepResult> steps, ConfigFor configFor, Steps body)
            throws IOException {
        Path sockDir = Files.createTempDirectory(Path.of("/tmp"), sockPrefix); // short: sun_path has 108 bytes
        List<String> qemuCmd = List.of();
        BackendProcess backend = null;
        try {
            backend = BackendProcess.start(backendCommand, sockDir.resolve("vgpu.sock"), out.resolve("backend.log"), Duration.ofSeconds(30));
            QemuVm.Config cfg = configFor.config(backend, sockDir);
            qemuCmd = QemuVm.commandLine(cfg);
            QemuVm vm = QemuVm.start(cfg);
            try {
                body.run(backend, vm);
            } catch (IOException e) {
                if (vm.isAlive()) throw e;
                steps.add(new StepResult("qemu", false, -1, null, 0, "QEMU exited with status " + vm.exitValue() + " ("
                        + e.getMessage() + "); qemu.log: " + BackendProcess.tail(out.resolve("qemu.log"), 5).replace('\n', '|')));
            } finally {
                vm.close();
            }
        } catch (IOException e) {
            steps.add(new StepResult("harness", false, -1, null, 0, "harness error: " + e));
        } finally {
            String status = "not started";
            if (backend != null) {
                boolean aliveAtEnd = backend.isAlive();
                int code = backend.stop();
                status = aliveAtEnd ? "alive until stopped (exit status " + code + " after SIGTERM)" : "had exited by itself, status " + code;
            }
            GuestScenario.deleteTree(sockDir);
            return new Ended(qemuCmd, status);
        }
    }
}
