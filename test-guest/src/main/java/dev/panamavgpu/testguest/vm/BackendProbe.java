package dev.panamavgpu.testguest.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Finds the GPU backend processes libvirt started, from /proc (we are root): their executable, user and arguments. */
final class BackendProbe {
    private BackendProbe() {}

    record Found(long pid, String exe, int uid, String user, String args) {
        String describe() { return "pid " + pid + ", " + exe + ", user " + user + " (uid " + uid + "), args: " + args; }
    }

    /** Processes whose executable lies under {@code prefix} (e.g. /usr/lib/panama-vgpu/). */
    static List<Found> find(String prefix) {
        List<Found> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String exe = Files.readSymbolicLink(p.resolve("exe")).toString();
                    if (!exe.startsWith(prefix)) continue;
                    int uid = -1;
                    for (String l : Files.readAllLines(p.resolve("status"), StandardCharsets.UTF_8))
                        if (l.startsWith("Uid:")) uid = Integer.parseInt(l.split("\\s+")[1]);
                    String args = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').trim();
                    out.add(new Found(Long.parseLong(p.getFileName().toString()), exe, uid, userName(uid), args));
                } catch (IOException | RuntimeException gone) {
                    // not ours to read, or ended meanwhile
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return out;
    }

    /** null if exactly one backend runs, as {@code user}, on an inherited socket ({@code --fd=}); else what is wrong. */
    static String check(List<Found> found, String user) {
        if (found.size() != 1) return "expected one backend process, found " + found.size() + ": " + found;
        Found f = found.getFirst();
        if (!f.user().equals(user)) return "backend runs as " + f.user() + ", expected " + user + ": " + f.describe();
        if (!f.args().contains("--fd=")) return "backend was not given --fd=N: " + f.describe();
        return null;
    }

    /** Files libvirt keeps for the domain's video backend (pidfile, socket) under /run/libvirt/qemu. */
    static List<Path> runFiles(String domain) {
        Path dir = Path.of("/run/libvirt/qemu");
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> {
                String n = p.getFileName().toString();
                return n.contains(domain) && (n.contains("vhost-user") || n.contains("video"));
            }).toList();
        } catch (IOException e) {
            return List.of(dir.resolve("(unreadable: " + e.getMessage() + ")"));
        }
    }

    private static String userName(int uid) {
        try {
            for (String l : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
                String[] f = l.split(":");
                if (f.length > 2 && f[2].equals(Integer.toString(uid))) return f[0];
            }
        } catch (IOException ignored) {
            // fall through
        }
        return "uid" + uid;
    }
}
