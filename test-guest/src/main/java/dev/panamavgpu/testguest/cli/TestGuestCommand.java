package dev.panamavgpu.testguest.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code test-guest}: plays QEMU and the guest in front of any vhost-user GPU backend. */
@Command(name = "test-guest", mixinStandardHelpOptions = true, version = "test-guest 0.1.0",
        description = "Plays QEMU (vhost-user front-end and the QEMU end of the GPU socket) and the guest's virtio-gpu driver in front of any vhost-user GPU backend command, e.g. scripts/panama-vgpu or /usr/lib/qemu/vhost-user-gpu. The harness starts each backend with --socket-path=PATH appended.",
        subcommands = {ConformanceCommand.class, BenchCommand.class, StartupCommand.class, DensityCommand.class, E2eCommand.class, LibvirtCommand.class, VncBenchCommand.class, Bench3dCommand.class, GlBenchCommand.class, CommandLine.HelpCommand.class})
public final class TestGuestCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand (see --help)");
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new TestGuestCommand()).execute(args));
    }
}
