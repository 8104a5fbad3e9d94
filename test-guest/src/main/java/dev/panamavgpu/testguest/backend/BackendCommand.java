package dev.panamavgpu.testguest.backend;

import java.nio.file.Path;
import java.util.List;

/**
 * A vhost-user GPU backend command line as the user gave it ({@code 'CMD ARGS...'}, split at white space; no
 * shell quoting). The harness appends {@code --socket-path=PATH}, as QEMU's documentation tells users to start a
 * backend and as both panama-vgpu and QEMU's vhost-user-gpu accept.
 *
 * @param label short name for tables: the program's file name
 */
public record BackendCommand(String label, List<String> argv) {
    public BackendCommand {
        if (argv.isEmpty() || argv.getFirst().isBlank()) throw new IllegalArgumentException("empty backend command");
        argv = List.copyOf(argv);
    }

    public static BackendCommand parse(String commandLine) {
        List<String> argv = List.of(commandLine.trim().split("\\s+"));
        return new BackendCommand(Path.of(argv.getFirst()).getFileName().toString(), argv);
    }

    /** The same command under another label (two backends with the same program name). */
    public BackendCommand labelled(String l) { return new BackendCommand(l, argv); }

    @Override
    public String toString() { return String.join(" ", argv); }
}
