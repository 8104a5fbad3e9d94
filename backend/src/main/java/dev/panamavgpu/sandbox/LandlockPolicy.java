package dev.panamavgpu.sandbox;

import static dev.panamavgpu.ffm.Landlock.FS_MAKE_REG;
import static dev.panamavgpu.ffm.Landlock.FS_READ_DIR;
import static dev.panamavgpu.ffm.Landlock.FS_READ_FILE;
import static dev.panamavgpu.ffm.Landlock.FS_REMOVE_FILE;
import static dev.panamavgpu.ffm.Landlock.FS_TRUNCATE;
import static dev.panamavgpu.ffm.Landlock.FS_WRITE_FILE;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which parts of the file system the backend keeps after setup. Everything else is denied for every
 * file-system right the kernel's Landlock ABI knows: no execution anywhere, reading only what the JVM
 * still loads lazily, writing only the page file and what the configuration names.
 */
final class LandlockPolicy {
    private LandlockPolicy() {}

    static final long READ = FS_READ_FILE | FS_READ_DIR;

    static List<PathGrant> grants(SandboxPaths paths, long pid) {
        List<PathGrant> g = new ArrayList<>();
        g.add(new PathGrant(Path.of(System.getProperty("java.home")), READ, "JDK modules and native libraries load lazily"));
        for (String e : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!e.isEmpty()) g.add(new PathGrant(Path.of(e).toAbsolutePath(), READ, "application classes load lazily"));
        }
        g.add(new PathGrant(Path.of("/usr/lib"), READ, "system libraries glibc may still dlopen (libgcc_s for unwinding)"));
        g.add(new PathGrant(Path.of("/etc/ld.so.cache"), FS_READ_FILE, "dlopen by library name"));
        g.add(new PathGrant(Path.of("/proc/" + pid), READ, "/proc/self: the JVM's own maps, status, cgroup, threads"));
        g.add(new PathGrant(Path.of("/proc/meminfo"), FS_READ_FILE, "JVM memory sizing"));
        g.add(new PathGrant(Path.of("/proc/pressure"), READ, "memory pressure (PressureGauge)"));
        g.add(new PathGrant(Path.of("/sys/fs/cgroup"), READ, "cgroup limits and memory.events (JVM, PressureGauge)"));
        g.add(new PathGrant(Path.of("/sys/devices/system/cpu"), READ, "online CPUs"));
        g.add(new PathGrant(Path.of("/dev/urandom"), FS_READ_FILE, "SecureRandom, seeded on the first resource UUID (after setup)"));
        g.add(new PathGrant(Path.of("/dev/random"), FS_READ_FILE, "SecureRandom (NativePRNG opens both)"));
        g.add(new PathGrant(paths.pageDir(), FS_READ_FILE | FS_WRITE_FILE | FS_MAKE_REG | FS_TRUNCATE,
                "the page file: an O_TMPFILE opened on first use"));
        Set<Path> socketDirs = new LinkedHashSet<>();
        for (Path s : paths.sockets()) socketDirs.add(s.getParent());
        for (Path d : socketDirs) g.add(new PathGrant(d, FS_REMOVE_FILE, "unlinking the listening socket at exit"));
        for (Path d : paths.writableDirs()) {
            g.add(new PathGrant(d, FS_WRITE_FILE | FS_MAKE_REG | FS_TRUNCATE, "files the configuration writes"));
        }
        if (paths.gl()) {
            for (String p : new String[] {"/usr/share/glvnd", "/usr/share/drirc.d", "/etc/glvnd", "/etc/drirc", "/usr/share/egl"}) {
                g.add(new PathGrant(Path.of(p), READ, "Mesa's configuration, read at every GL context (--virgl)"));
            }
        }
        for (Path n : paths.deviceNodes()) g.add(new PathGrant(n, FS_READ_FILE | FS_WRITE_FILE, "the render node (--render-node)"));
        Path perf = Path.of(System.getProperty("java.io.tmpdir"), "hsperfdata_" + System.getProperty("user.name"));
        g.add(new PathGrant(perf, FS_REMOVE_FILE, "the JVM unlinks its perf data file at exit (unless -XX:-UsePerfData)"));
        return g;
    }
}
