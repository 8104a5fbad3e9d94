package dev.panamavgpu.vhostuser.backend;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.UnixSockets;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.LinkOption;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who the front-end is, for log lines an operator can match to a VM: libvirt hands over a bare
 * socket, so the name comes from the peer's pid (SO_PEERCRED) and QEMU's {@code -name guest=NAME}
 * in its /proc/PID/cmdline. With one front-end at a time the current one is process-wide; with
 * many (--max-vms) each VM's loop thread names its own ({@link #nameThisThread}). A front-end stays
 * named after it disconnects (the lines about its end belong to it too).
 * <p>Under libvirt that is not enough: libvirtd makes the socketpair, so SO_PEERCRED names libvirtd
 * (no {@code -name}), and QEMU does not exist yet when the backend starts. libvirt does record the
 * backend's pid in {@code /run/libvirt/qemu/<id>-<name>-<alias>-vhost-user-gpu.pid} before it
 * starts QEMU; {@link #learnLibvirtName} finds the file holding our pid once at start-up (before the
 * sandbox, which keeps /run out of reach) and the name in its file name stands in when the peer's
 * command line has none. libvirt cuts the name in that file to 20 characters.
 */
public final class FrontEndIdentity {
    private FrontEndIdentity() {}

    /** Bytes of /proc/PID/cmdline read at most; a libvirt QEMU command line is a few KiB. */
    static final int MAX_CMDLINE = 64 * 1024;
    /** Characters of a VM name kept in log lines. */
    static final int MAX_NAME = 64;

    /** Characters of a command line kept for the figures. */
    static final int MAX_COMMAND_LINE = 512;
    /** The VM name from libvirt's pidfile, or null: set once at start-up by {@link #learnLibvirtName}. */
    private static volatile String libvirtName;
    /** libvirt's external-device pidfile: {@code <id>-<short name>-<alias>-vhost-user-<device>.pid}. */
    private static final Pattern LIBVIRT_PIDFILE = Pattern.compile("\\d+-(.+)-[^-]+-vhost-user-[a-z]+\\.pid", Pattern.DOTALL);
    /** Entries of libvirt's run directory looked at, at most (one per running VM and helper). */
    static final int MAX_PIDFILES = 4096;

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
            if (name == null) name = libvirtName;
            who = (name != null ? "vm=" + name + " " : "") + "pid=" + pid;
        } catch (ErrnoException e) {
            who = "";
        }
        return who;
    }

    /**
     * Looks in libvirt's run directory ({@code /run/libvirt/qemu} for qemu:///system) for the pidfile
     * libvirt wrote for this process, and keeps the VM name from its file name; returns it (null: not
     * started by libvirt, or nothing readable there).
     */
    public static String learnLibvirtName(Path runDir) {
        libvirtName = nameFromLibvirtPidfiles(runDir, ProcessHandle.current().pid());
        return libvirtName;
    }

    static String nameFromLibvirtPidfiles(Path dir, long pid) {
        String want = Long.toString(pid);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*-vhost-user-*.pid")) {
            int seen = 0;
            for (Path f : files) {
                if (++seen > MAX_PIDFILES) break;
                String name = nameFromPidfileName(f.getFileName().toString());
                if (name == null || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) continue;
                try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
                    if (new String(in.readNBytes(32), StandardCharsets.US_ASCII).trim().equals(want)) return name;
                }
            }
        } catch (IOException | SecurityException | UncheckedIOException e) {
            return null; // no libvirt here, or not readable
        }
        return null;
    }

    /** The VM name in a libvirt pidfile's name, cleaned like a command line's; null if it is not one. */
    public static String nameFromPidfileName(String fileName) {
        if (fileName.length() > 255) return null; // NAME_MAX: not a file name
        Matcher m = LIBVIRT_PIDFILE.matcher(fileName);
        return m.matches() ? clean(m.group(1)) : null;
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
