package dev.panamavgpu.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.panamavgpu.ffm.Errno;
import dev.panamavgpu.ffm.Seccomp;
import dev.panamavgpu.ffm.layout.SeccompData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The deny-list as the kernel would run it, through a small classic-BPF interpreter (nothing is installed here). */
class SeccompPolicyTest {
    private static final int KILL = Seccomp.RET_KILL_PROCESS;
    private static final int EPERM = Seccomp.retErrno(Errno.EPERM);
    private static final List<Bpf.Insn> PROGRAM = SeccompPolicy.program(KILL).instructions();
    private static final int AF_INET = 2, AF_INET6 = 10, SIGCHLD = 17;
    /** What glibc 2.36's pthread_create passes to clone. */
    private static final int THREAD_FLAGS = 0x3D0F00;

    @Test
    void deniedCallsFailWithEperm() {
        for (String name : List.of("execve", "execveat", "fork", "vfork", "ptrace", "process_vm_readv", "process_vm_writev",
                "mount", "bpf", "kexec_load", "init_module", "finit_module", "keyctl", "unshare", "setns", "setuid")) {
            assertEquals(EPERM, run(nr(name)), name);
        }
    }

    @Test
    void whatTheJvmNeedsIsAllowed() {
        for (String name : List.of("read", "write", "mmap", "mprotect", "futex", "epoll_wait", "recvmsg", "sendmsg",
                "memfd_create", "openat", "rseq", "madvise", "rt_sigreturn", "exit_group", "accept4", "prctl")) {
            assertEquals(Seccomp.RET_ALLOW, run(nr(name)), name);
        }
    }

    @Test
    void cloneMakesThreadsButNotProcesses() {
        assertEquals(Seccomp.RET_ALLOW, run(nr("clone"), THREAD_FLAGS));
        assertEquals(EPERM, run(nr("clone"), SIGCHLD)); // fork() as glibc does it
        assertEquals(EPERM, run(nr("clone"), 0x4111)); // posix_spawn: CLONE_VM | CLONE_VFORK | SIGCHLD
        assertEquals(Seccomp.retErrno(Errno.ENOSYS), run(nr("clone3"), 0));
    }

    @Test
    void onlyUnixSockets() {
        assertEquals(Seccomp.RET_ALLOW, run(nr("socket"), SeccompPolicy.AF_UNIX));
        assertEquals(EPERM, run(nr("socket"), AF_INET));
        assertEquals(EPERM, run(nr("socket"), AF_INET6));
        assertEquals(EPERM, run(nr("socket"), 16)); // AF_NETLINK
        assertEquals(Seccomp.RET_ALLOW, run(nr("socketpair"), SeccompPolicy.AF_UNIX));
        assertEquals(EPERM, run(nr("socketpair"), AF_INET));
    }

    @Test
    void noTerminalInjection() {
        assertEquals(EPERM, run(nr("ioctl"), 0, SeccompPolicy.TIOCSTI));
        assertEquals(Seccomp.RET_ALLOW, run(nr("ioctl"), 0, 0x5421)); // FIONBIO
    }

    @Test
    void otherAbisAreKilled() {
        assertEquals(KILL, exec(0x40000003, 11, 0, 0)); // i386 execve through int 0x80
        assertEquals(KILL, exec(SeccompPolicy.AUDIT_ARCH_X86_64, 0x40000000 | 59, 0, 0)); // x32 execve
    }

    @Test
    void theListedNumbersAreTheKernelHeadersNumbers() throws IOException {
        Map<String, Integer> headers = headerNumbers();
        assumeTrue(!headers.isEmpty(), "no asm/unistd_64.h here");
        for (SeccompPolicy.Denied d : SeccompPolicy.DENIED) {
            if (headers.containsKey(d.name())) assertEquals(headers.get(d.name()), d.nr(), d.name());
            else assertTrue(d.name().equals("quotactl_fd") || d.name().equals("mount_setattr"), "not in headers: " + d.name());
        }
        assertEquals(headers.get("clone"), SeccompPolicy.NR_CLONE);
        assertEquals(headers.get("clone3"), SeccompPolicy.NR_CLONE3);
        assertEquals(headers.get("socket"), SeccompPolicy.NR_SOCKET);
        assertEquals(headers.get("socketpair"), SeccompPolicy.NR_SOCKETPAIR);
        assertEquals(headers.get("ioctl"), SeccompPolicy.NR_IOCTL);
    }

    @Test
    void jumpsStayInsideTheProgram() {
        for (int pc = 0; pc < PROGRAM.size(); pc++) {
            Bpf.Insn i = PROGRAM.get(pc);
            if (i.code() != Bpf.RET_K && i.code() != Bpf.LD_W_ABS) {
                assertTrue(pc + 1 + Math.max(i.jt(), i.jf()) < PROGRAM.size(), "jump at " + pc);
            }
        }
        assertEquals(Bpf.RET_K, PROGRAM.getLast().code());
    }

    /** x86_64 numbers of the allowed calls the tests use (checked against the headers below, where present). */
    private static final Map<String, Integer> ALLOWED = Map.ofEntries(Map.entry("read", 0), Map.entry("write", 1),
            Map.entry("mmap", 9), Map.entry("mprotect", 10), Map.entry("rt_sigreturn", 15), Map.entry("ioctl", 16),
            Map.entry("madvise", 28), Map.entry("socket", 41), Map.entry("sendmsg", 46), Map.entry("recvmsg", 47),
            Map.entry("socketpair", 53), Map.entry("clone", 56), Map.entry("prctl", 157), Map.entry("futex", 202),
            Map.entry("exit_group", 231), Map.entry("epoll_wait", 232), Map.entry("openat", 257),
            Map.entry("accept4", 288), Map.entry("memfd_create", 319), Map.entry("rseq", 334), Map.entry("clone3", 435));

    private static int nr(String name) {
        Integer n = ALLOWED.get(name);
        if (n != null) return n;
        return SeccompPolicy.DENIED.stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow().nr();
    }

    @Test
    void theTestsOwnNumbersAreTheHeadersNumbers() throws IOException {
        Map<String, Integer> headers = headerNumbers();
        assumeTrue(!headers.isEmpty(), "no asm/unistd_64.h here");
        ALLOWED.forEach((name, n) -> assertEquals(headers.get(name), n, name));
    }

    private static int run(int nr, long... args) {
        return exec(SeccompPolicy.AUDIT_ARCH_X86_64, nr, args.length > 0 ? args[0] : 0, args.length > 1 ? args[1] : 0);
    }

    /** Classic BPF over a seccomp_data with the given arch, number and first two arguments. */
    private static int exec(int arch, int nr, long arg0, long arg1) {
        int acc = 0;
        for (int pc = 0; pc < PROGRAM.size(); pc++) {
            Bpf.Insn i = PROGRAM.get(pc);
            switch (i.code()) {
                case Bpf.LD_W_ABS -> {
                    long off = i.k();
                    if (off == SeccompData.NR) acc = nr;
                    else if (off == SeccompData.ARCH) acc = arch;
                    else if (off == SeccompData.argLow(0)) acc = (int) arg0;
                    else if (off == SeccompData.argLow(1)) acc = (int) arg1;
                    else throw new AssertionError("load of offset " + off);
                }
                case Bpf.RET_K -> { return i.k(); }
                default -> {
                    boolean taken = switch (i.code()) {
                        case Bpf.JEQ -> acc == i.k();
                        case Bpf.JGT -> Integer.compareUnsigned(acc, i.k()) > 0;
                        case Bpf.JGE -> Integer.compareUnsigned(acc, i.k()) >= 0;
                        case Bpf.JSET -> (acc & i.k()) != 0;
                        default -> throw new AssertionError("opcode " + i.code());
                    };
                    pc += taken ? i.jt() : i.jf();
                }
            }
        }
        throw new AssertionError("fell off the end");
    }

    private static Map<String, Integer> cached;

    private static synchronized Map<String, Integer> headerNumbers() throws IOException {
        if (cached != null) return cached;
        Map<String, Integer> m = new HashMap<>();
        Path h = Path.of("/usr/include/x86_64-linux-gnu/asm/unistd_64.h");
        if (Files.exists(h)) {
            Pattern p = Pattern.compile("#define __NR_(\\w+) (\\d+)");
            for (String line : Files.readAllLines(h)) {
                Matcher mt = p.matcher(line);
                if (mt.matches()) m.put(mt.group(1), Integer.parseInt(mt.group(2)));
            }
        }
        return cached = m;
    }
}
