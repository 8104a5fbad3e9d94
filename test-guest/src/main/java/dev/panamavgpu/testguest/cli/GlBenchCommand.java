package dev.panamavgpu.testguest.cli;

import dev.panamavgpu.testguest.backend.BackendCommand;
import dev.panamavgpu.testguest.vm.GlBench;
import dev.panamavgpu.testguest.vm.GuestScenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code test-guest glbench}: guest-side GL frames per second through each backend's 3D ({@link GlBench}). */
@Command(name = "glbench", mixinStandardHelpOptions = true,
        description = "Boots the 3D test guest (Debian's Mesa, virgl) once per backend and prints what gltest measured in the guest: frames per second of a full-screen GL clear + page flip and of a textured scene + page flip, each flip awaited. Give each backend with its 3D option, e.g. --backend 'scripts/panama-vgpu --virgl' --vs '/usr/lib/qemu/vhost-user-gpu --virgl'. A backend whose guest does not render with virgl gets no figures and the reason.")
public final class GlBenchCommand implements Callable<Integer> {
    @Option(names = "--backend", required = true, paramLabel = "'CMD ARGS...'", description = "Backend command; --socket-path=PATH is appended.")
    String backend;

    @Option(names = "--vs", paramLabel = "'CMD ARGS...'", description = "Another backend (repeatable).")
    List<String> versus = new ArrayList<>();

    @Option(names = "--seconds", defaultValue = "10", paramLabel = "N", description = "Length of each of the two loops (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--guest", paramLabel = "DIR", description = "vmlinuz + initramfs-3d.img (default: built by test-guest/guest/build-initramfs).")
    Path guest;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Logs (default: a new temporary directory).")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        Path g = guest != null ? guest : GuestScenario.buildGuest(null);
        if (!Files.isRegularFile(g.resolve("initramfs-3d.img"))) {
            System.err.println("no " + g.resolve("initramfs-3d.img") + ": run scripts/setup (it fetches the Mesa layer)");
            return 2;
        }
        Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("test-guest-glbench");
        List<GlBench.Result> results = new ArrayList<>();
        for (BackendCommand c : BackendLabels.of(List.of(backend), versus)) {
            System.err.println("glbench: " + c.label() + " (" + String.join(" ", c.argv()) + ")");
            results.add(GlBench.run(c.label(), c.argv(), g, dir.resolve(c.label()), seconds));
        }
        System.out.println(GlBench.header());
        for (GlBench.Result r : results) System.out.println(r.line());
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        System.out.println("guest: QEMU TCG, " + seconds + " s per loop; host load (1/5/15 min): " + load + "; logs in " + dir);
        return results.getFirst().virgl() && !Double.isNaN(results.getFirst().clearFps()) ? 0 : 1;
    }
}
