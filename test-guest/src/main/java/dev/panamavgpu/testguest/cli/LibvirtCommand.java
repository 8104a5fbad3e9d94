package dev.panamavgpu.testguest.cli;

import dev.panamavgpu.testguest.vm.GuestScenario;
import dev.panamavgpu.testguest.vm.LibvirtScenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code test-guest libvirt}: the test guest as a libvirt domain whose GPU backend libvirt picks and starts ({@link LibvirtScenario}). */
@Command(name = "libvirt", mixinStandardHelpOptions = true,
        description = "Defines the test guest as a libvirt domain (qemu:///system, vhostuser video) and drives it with virsh: start, screenshots compared exactly, suspend/resume, page flip, guest reboot, reset, destroy, start again; checks the backend libvirt started. Run as root with libvirtd running (scripts/test-libvirt). Exit status 0 if every step passed.")
public final class LibvirtCommand implements Callable<Integer> {
    @Option(names = "--kernel", required = true, description = "Guest kernel, readable by the QEMU user.") Path kernel;
    @Option(names = "--initrd", required = true, description = "Guest initramfs, readable by the QEMU user.") Path initrd;
    @Option(names = "--work-dir", required = true, description = "Directory for the serial socket and console log, writable by the QEMU user.") Path workDir;
    @Option(names = "--out", required = true, description = "Screenshots and logs go here.") Path out;
    @Option(names = "--domain", defaultValue = "panama-vgpu-test", description = "Domain name (default ${DEFAULT-VALUE}).") String domain;
    @Option(names = "--backend-prefix", defaultValue = "/usr/lib/panama-vgpu/", description = "Where the backend's executable must lie (default ${DEFAULT-VALUE}).") String prefix;
    @Option(names = "--backend-user", defaultValue = "libvirt-qemu", description = "The user the backend must run as (default ${DEFAULT-VALUE}).") String user;
    @Option(names = "--boot-timeout", defaultValue = "180", paramLabel = "SECONDS") int boot;
    @Option(names = "--step-timeout", defaultValue = "60", paramLabel = "SECONDS") int step;
    @Option(names = "--settle", defaultValue = "10", paramLabel = "SECONDS") int settle;

    @Override
    public Integer call() throws Exception {
        LibvirtScenario.Options o = new LibvirtScenario.Options(domain, kernel.toAbsolutePath(), initrd.toAbsolutePath(),
                workDir.toAbsolutePath(), out.toAbsolutePath(), prefix, user, Duration.ofSeconds(boot), Duration.ofSeconds(step),
                Duration.ofSeconds(settle));
        GuestScenario.Result r = LibvirtScenario.run(o);
        System.out.print(r.summary());
        return r.passed() ? 0 : 1;
    }
}
