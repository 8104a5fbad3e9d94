package dev.panamavgpu.sandbox;

import dev.panamavgpu.ffm.Capabilities;
import dev.panamavgpu.ffm.Errno;
import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Landlock;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.ffm.Prctl;
import dev.panamavgpu.ffm.Seccomp;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confines the backend once setup is done (sockets bound, configuration checked): no_new_privs, not
 * dumpable, capabilities dropped, a seccomp deny-list on every thread (TSYNC), and Landlock.
 *
 * <p>Call it on the thread that then starts every thread handling guest, front-end or client input.
 * Landlock below ABI 8, and capabilities always, bind only the calling thread and the threads it
 * starts later; the JVM's own earlier threads (GC, JIT compilers, signal dispatcher, reference
 * handler, finalizer, common cleaner) keep the file system and their capabilities. seccomp and
 * no_new_privs cover them all. docs/security.md has the details.
 */
public final class Sandbox {
    private static final Logger log = LoggerFactory.getLogger(Sandbox.class);
    /** landlock_restrict_self flag of ABI 8 (Linux 7.0): restrict every thread of the process. */
    static final int LANDLOCK_RESTRICT_SELF_TSYNC = 1 << 3;

    private Sandbox() {}

    /** Enters the sandbox as {@code mode} asks, logs one line of what is in force, and reports it. */
    public static SandboxReport enter(SandboxMode mode, SandboxPaths paths) {
        SandboxReport r = mode == SandboxMode.OFF ? SandboxReport.off() : enterNow(mode, paths);
        if (r.complete() || mode == SandboxMode.OFF) log.info(r.oneLine());
        else log.warn(r.oneLine());
        return r;
    }

    private static SandboxReport enterNow(SandboxMode mode, SandboxPaths paths) {
        String arch = System.getProperty("os.arch");
        if (!"amd64".equals(arch)) { // system-call numbers and the filter's arch check are x86_64's
            Layer m = new Layer.Missing("sandbox (x86_64 only, this is " + arch + ")");
            return new SandboxReport(mode, m, m, m);
        }
        try {
            Prctl.setNoNewPrivs(); // seccomp and Landlock need it; TSYNC sets it on every thread
        } catch (ErrnoException e) {
            Layer m = new Layer.Missing("sandbox: " + e.getMessage());
            return new SandboxReport(mode, m, m, m);
        }
        Layer landlock = restrictFileSystem(paths);
        Layer privileges = dropPrivileges(); // before the filter, which denies capset
        Layer seccomp = filterSystemCalls();
        return new SandboxReport(mode, privileges, seccomp, landlock);
    }

    static Layer restrictFileSystem(SandboxPaths paths) {
        int abi;
        try {
            abi = Landlock.abiVersion();
        } catch (ErrnoException e) {
            return new Layer.Missing("landlock (" + switch (e.errno()) {
                case Errno.ENOSYS -> "not built into this kernel";
                case Errno.EOPNOTSUPP -> "disabled at boot, see lsm=";
                default -> e.getMessage();
            } + ")");
        }
        long handledFs = Landlock.fsRights(abi);
        long handledNet = abi >= 4 ? Landlock.NET_BIND_TCP | Landlock.NET_CONNECT_TCP : 0; // no TCP at all
        long scoped = abi >= 6 ? Landlock.SCOPE_ABSTRACT_UNIX_SOCKET : 0; // no abstract sockets outside the sandbox
        int rules = 0;
        try (Fd ruleset = Landlock.createRuleset(abi, handledFs, handledNet, scoped)) {
            for (PathGrant g : LandlockPolicy.grants(paths, Libc.getpid())) {
                if (addRule(ruleset, g, handledFs)) rules++;
            }
            Landlock.restrictSelf(ruleset, abi >= 8 ? LANDLOCK_RESTRICT_SELF_TSYNC : 0);
        } catch (ErrnoException e) {
            return new Layer.Missing("landlock (" + e.getMessage() + ")");
        }
        return new Layer.InForce("landlock ABI " + abi + " (fs: " + rules + " paths"
                + (handledNet != 0 ? ", no TCP" : "")
                + (abi >= 8 ? ", all threads)" : ", this thread and those it starts)"));
    }

    private static boolean addRule(Fd ruleset, PathGrant g, long handledFs) throws ErrnoException {
        Path p = g.path();
        if (!Files.exists(p)) {
            log.debug("sandbox: no {} to grant ({})", p, g.why());
            return false;
        }
        long access = g.access() & handledFs;
        if (!Files.isDirectory(p)) access &= Landlock.FS_FILE_RIGHTS;
        if (access == 0) return false;
        try (Fd f = Landlock.openPath(p.toString())) {
            Landlock.addPathRule(ruleset, f, access);
        }
        log.debug("sandbox: grant 0x{} on {} ({})", Long.toHexString(access), p, g.why());
        return true;
    }

    static Layer dropPrivileges() {
        try {
            Prctl.setDumpable(false);
            int bounding = 0, kept = 0;
            for (int cap = 0; ; cap++) {
                try {
                    if (!Prctl.capBsetRead(cap)) continue;
                } catch (ErrnoException pastLast) {
                    break; // EINVAL: the kernel's last capability was cap - 1
                }
                try {
                    Prctl.capBsetDrop(cap);
                    bounding++;
                } catch (ErrnoException noSetpcap) {
                    kept++; // without CAP_SETPCAP; no_new_privs already stops execve from using it
                }
            }
            try {
                Prctl.clearAmbientCaps();
            } catch (ErrnoException old) {
                if (old.errno() != Errno.EINVAL) throw old; // EINVAL: kernel before 4.3 has no ambient set
            }
            boolean held = !Capabilities.ofThisThread().isEmpty();
            Capabilities.clearThisThread();
            return new Layer.InForce((held ? "capabilities dropped" : "no capabilities held")
                    + (kept == 0 ? "" : " (bounding set kept: no CAP_SETPCAP)") + ", not dumpable");
        } catch (ErrnoException e) {
            return new Layer.Missing("privilege drop (" + e.getMessage() + ")");
        }
    }

    static Layer filterSystemCalls() {
        // KILL_PROCESS for calls no JVM code makes; never TRAP: HotSpot does not expect SIGSYS
        int impossible = Seccomp.actionAvailable(Seccomp.RET_KILL_PROCESS) ? Seccomp.RET_KILL_PROCESS
                : Seccomp.retErrno(Errno.EPERM);
        Bpf program = SeccompPolicy.program(impossible);
        try (Arena a = Arena.ofConfined()) {
            Seccomp.installFilter(program.encode(a), program.size(), Seccomp.FILTER_FLAG_TSYNC);
        } catch (ErrnoException e) {
            return new Layer.Missing("seccomp (" + e.getMessage() + ")");
        }
        return new Layer.InForce("seccomp deny-list (" + SeccompPolicy.deniedCount() + " calls) on "
                + threadCount() + " threads (TSYNC)");
    }

    private static String threadCount() {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            return Long.toString(tasks.count());
        } catch (IOException e) {
            return "all";
        }
    }
}
