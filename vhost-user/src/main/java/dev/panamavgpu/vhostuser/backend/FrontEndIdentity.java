package dev.panamavgpu.vhostuser.backend;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.UnixSockets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Who the front-end is, for log lines an operator can match to a VM: libvirt hands over a bare
 * socket, so the name comes from the peer's pid (SO_PEERCRED) and QEMU's {@code -name guest=NAME}
 * in its /proc/PID/cmdline. With one front-end at a time the current one is process-wide; with
 * many (--max-vms) each VM's loop thread names its own ({@link #nameThisThread}). A front-end stays
 * named after it disconnects (the lines about its end belong to it too).
 */
public final class FrontEndIdentity {
    private FrontEndIdentity() {}

    /** Bytes of /proc/PID/cmdline read at most; a libvirt QEMU command line is a few KiB. */
    static final int MAX_CMDLINE = 64 * 1024;
    /** Characters of a VM name kept in log lines. */
    static final int MAX_NAME = 64;

    /** Characters of a command line kept for the figures. */
    static final int MAX_COMMAND_LINE = 512;

    private static volatile String current = "";
    private static final ThreadLocal<String> ofThread = new ThreadLocal<>();

    /** "vm=NAME pid=PID", "pid=PID" or "" (unknown): what log lines name the front-end by (this thread's VM first). */
    public static String current() {
        String t = ofThread.get();
        return t != null ? t : current;
    }

    /** Log lines written on this thread (one VM's loop thread) name {@code who}. */
    public static void nameThisThread(String who) { ofThread.set(who); }

    /** The peer's pid (SO_PEERCRED), or 0 if unknown. */
    public static int pid(Fd fd) {
        try {
            return UnixSockets.peerCredentials(fd).pid();
        } catch (ErrnoException e) {
            return 0;
        }
    }

    /**
     * The command line of process {@code pid}, arguments separated by spaces, anything but printable
     * ASCII replaced by '?', at most {@link #MAX_COMMAND_LINE} characters; "" if unknown. For the
     * figures (one line per VM), so it must not break lines.
     */
    public static String commandLine(int pid) {
        if (pid <= 0) return "";
        return printableCommandLine(readCmdline(Path.of("/proc", Integer.toString(pid), "cmdline")));
    }

    /** A NUL-separated command line as one printable line (see {@link #commandLine}); untrusted input. */
    public static String printableCommandLine(byte[] raw) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < raw.length && b.length() < MAX_COMMAND_LINE; i++) {
            int c = raw[i] & 0xff;
            b.append(c == 0 ? ' ' : c >= 0x20 && c < 0x7f ? (char) c : '?');
        }
        return b.toString().strip();
    }

    /** Identifies the peer of {@code fd}, remembers it as the current front-end, and returns it. */
    public static String identify(Fd fd) {
        String who = describe(fd);
        current = who;
        return who;
    }

    /** Identifies the peer of {@code fd} without making it the process's current one (one VM of many). */
    public static String describe(Fd fd) {
        String who;
        try {
            int pid = UnixSockets.peerCredentials(fd).pid();
            String name = pid > 0 ? nameFromCmdline(readCmdline(Path.of("/proc", Integer.toString(pid), "cmdline"))) : null;
            who = (name != null ? "vm=" + name + " " : "") + "pid=" + pid;
        } catch (ErrnoException e) {
            who = "";
        }
        return who;
    }

    static byte[] readCmdline(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(MAX_CMDLINE);
        } catch (IOException | SecurityException e) {
            return new byte[0]; // gone already, or hidden (hidepid)
        }
    }

    /**
     * QEMU's VM name from its NUL-separated command line: the argument after {@code -name} (or
     * {@code --name}), either {@code NAME} or {@code guest=NAME,...} with ",," for a comma; null if
     * absent. Untrusted input: reads at most {@link #MAX_CMDLINE} bytes, keeps {@link #MAX_NAME}
     * characters, and replaces anything but letters, digits and {@code .-_+:@} so a name cannot
     * forge log lines.
     */
    public static String nameFromCmdline(byte[] cmdline) {
        int end = Math.min(cmdline.length, MAX_CMDLINE);
        int start = 0;
        boolean nextIsName = false;
        while (start < end) {
            int nul = start;
            while (nul < end && cmdline[nul] != 0) nul++;
            String arg = new String(cmdline, start, nul - start, StandardCharsets.UTF_8);
            if (nextIsName) return guestName(arg);
            nextIsName = arg.equals("-name") || arg.equals("--name");
            start = nul + 1;
        }
        return null;
    }

    /** The guest= value of a QEMU -name argument (the first, key-less value counts as guest=). */
    static String guestName(String value) {
        int i = 0;
        boolean first = true;
        while (i <= value.length()) {
            StringBuilder part = new StringBuilder();
            while (i < value.length()) {
                char c = value.charAt(i);
                if (c == ',') {
                    if (i + 1 < value.length() && value.charAt(i + 1) == ',') { part.append(','); i += 2; continue; }
                    break;
                }
                part.append(c);
                i++;
            }
            i++; // past the separating comma
            String p = part.toString();
            if (p.startsWith("guest=")) return clean(p.substring("guest=".length()));
            if (first && p.indexOf('=') < 0) return clean(p);
            first = false;
        }
        return null;
    }

    private static String clean(String name) {
        if (name.isEmpty()) return null;
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length() && b.length() < MAX_NAME; ) {
            int cp = name.codePointAt(i);
            b.appendCodePoint(Character.isLetterOrDigit(cp) || ".-_+:@".indexOf(cp) >= 0 ? cp : '?');
            i += Character.charCount(cp);
        }
        return b.toString();
    }
}
