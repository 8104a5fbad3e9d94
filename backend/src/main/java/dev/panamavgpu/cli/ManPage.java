package dev.panamavgpu.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Writes panama-vgpu(1) in troff (man macros) from the picocli model, so the man page lists the
 * options the binary really has. scripts/package runs it: {@code java -cp panama-vgpu.jar dev.panamavgpu.cli.ManPage DATE}.
 */
public final class ManPage {
    private ManPage() {}

    public static void main(String[] args) {
        String date = args.length > 0 ? args[0] : "";
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        out.print(render(new CommandLine(new Main()).getCommandSpec(), date));
    }

    static String render(CommandSpec spec, String date) {
        StringBuilder m = new StringBuilder();
        String name = spec.name();
        String version = spec.version().length > 0 ? spec.version()[0] : name;
        m.append(".TH ").append(name.toUpperCase()).append(" 1 \"").append(esc(date)).append("\" \"")
                .append(esc(version)).append("\" \"User Commands\"\n");
        m.append(".SH NAME\n").append(name).append(" \\- vhost\\-user GPU device backend for QEMU\n");
        m.append(".SH SYNOPSIS\n.B ").append(name).append("\n[\\fIOPTION\\fR]...\n");
        m.append(".SH DESCRIPTION\n");
        for (String line : spec.usageMessage().description()) m.append(text(line)).append("\n.PP\n");
        m.append(text("libvirt starts it through the descriptor /usr/share/qemu/vhost-user/40-panama-vgpu.json as user "
                + "libvirt-qemu, with --fd=N and its output discarded; the backend then logs to syslog (/dev/log), "
                + "one line per event naming the VM (from the command line of the peer process)."))
                .append("\n");
        m.append(".SH OPTIONS\n");
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) continue;
            m.append(".TP\n");
            List<String> names = List.of(o.names());
            StringBuilder head = new StringBuilder();
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) head.append(", ");
                head.append("\\fB").append(esc(names.get(i))).append("\\fR");
            }
            if (o.arity().max() > 0) head.append("=\\fI").append(esc(o.paramLabel())).append("\\fR");
            m.append(head).append('\n');
            m.append(text(String.join(" ", o.description()))).append('\n');
        }
        m.append(".SH FILES\n.TP\n/usr/share/qemu/vhost\\-user/40\\-panama\\-vgpu.json\n")
                .append(text("The descriptor libvirt reads; it is tried before QEMU's own 50-qemu-gpu.json.")).append('\n')
                .append(".TP\n/usr/lib/panama\\-vgpu/\n").append(text("The launcher, the program and its Java runtime.")).append('\n');
        m.append(".SH EXIT STATUS\n0 when the front-end disconnected (with \\-\\-fd) or on SIGTERM; 1 when it cannot serve; 2 for usage errors.\n");
        m.append(".SH SEE ALSO\n.BR qemu (1),\n.BR virsh (1)\n");
        return m.toString();
    }

    /** Escapes troff's backslash and hyphen (an option name must print as a real minus). */
    static String esc(String s) {
        return s.replace("\\", "\\e").replace("-", "\\-");
    }

    /** A paragraph of running text: escaped, and never starting with a control character. */
    static String text(String s) {
        String e = esc(s);
        return e.startsWith(".") || e.startsWith("'") ? "\\&" + e : e;
    }
}
