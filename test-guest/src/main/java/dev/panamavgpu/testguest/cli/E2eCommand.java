package dev.panamavgpu.testguest.cli;

import dev.panamavgpu.testguest.vm.GuestScenario;
import dev.panamavgpu.testguest.vm.VirglGuestScenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code test-guest e2e}: the real Linux guest under QEMU/TCG with the backend ({@link GuestScenario}). */
@Command(name = "e2e", mixinStandardHelpOptions = true,
        description = "Boots the test guest in QEMU (TCG) with vhost-user-gpu-pci on the backend and compares QMP screendumps with the expected patterns exactly: boot, SETCRTC, stop/cont, page flip, DIRTYFB, cursor, system_reset. Exit status 0 if every step passed, 1 otherwise.")
public final class E2eCommand implements Callable<Integer> {
    @Option(names = "--backend", required = true, paramLabel = "'CMD ARGS...'", description = "Backend command; --socket-path=PATH is appended.")
    String backend;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Screenshots and logs go here.")
    Path out;

    @Option(names = "--guest", paramLabel = "DIR", description = "Prebuilt guest (vmlinuz, initramfs.cpio.gz); default: build it into the cache.")
    Path guest;

    @Option(names = "--repo", paramLabel = "DIR", description = "The panama-vgpu checkout (found from the jar by default).")
    Path repo;

    @Option(names = "--qemu", defaultValue = "qemu-system-x86_64", description = "QEMU binary (default ${DEFAULT-VALUE}).")
    String qemu;

    @Option(names = "--qemu-arg", paramLabel = "ARG", description = "Extra QEMU argument (repeatable).")
    List<String> qemuArgs = new ArrayList<>();

    @Option(names = "--boot-timeout", defaultValue = "180", paramLabel = "SECONDS") int boot;
    @Option(names = "--step-timeout", defaultValue = "60", paramLabel = "SECONDS") int step;
    @Option(names = "--settle", defaultValue = "10", paramLabel = "SECONDS") int settle;
    @Option(names = "--no-pause", description = "Skip the QMP stop/cont steps.") boolean noPause;
    @Option(names = "--virgl", description = "The 3D scenario instead (VirglGuestScenario: initramfs-3d.img with Mesa, raw 3D ioctls, GL_RENDERER, GLES scenes, page flips, animation, stop/cont, reset); give the backend its 3D option yourself.") boolean virgl;

    @Override
    public Integer call() throws Exception {
        Path g = guest != null ? guest : GuestScenario.buildGuest(repo);
        if (virgl) {
            VirglGuestScenario.Options v = VirglGuestScenario.Options.defaults(List.of(backend.trim().split("\\s+")), out, g);
            v = new VirglGuestScenario.Options(v.backendCommand(), out, v.kernel(), v.initrd(), qemu, Duration.ofSeconds(boot),
                    Duration.ofSeconds(step), Duration.ofSeconds(settle), v.animationSeconds(), qemuArgs);
            GuestScenario.Result r = VirglGuestScenario.run(v);
            System.out.print(java.nio.file.Files.readString(out.resolve("result.txt")));
            return r.passed() ? 0 : 1;
        }
        GuestScenario.Options o = new GuestScenario.Options(List.of(backend.trim().split("\\s+")), out, g.resolve("vmlinuz"),
                g.resolve("initramfs.cpio.gz"), qemu, Duration.ofSeconds(boot), Duration.ofSeconds(step),
                Duration.ofSeconds(settle), !noPause, qemuArgs);
        GuestScenario.Result r = GuestScenario.run(o);
        System.out.print(r.summary());
        return r.passed() ? 0 : 1;
    }
}
