package dev.panamavgpu.sandbox;

import dev.panamavgpu.ffm.Errno;
import dev.panamavgpu.ffm.Seccomp;
import dev.panamavgpu.ffm.layout.SeccompData;
import java.util.List;

/**
 * The seccomp filter: a deny-list (docs/decisions.md says why not an allow-list). Whatever is not
 * listed is allowed, so the JVM (GC, JIT with W+X code cache, FFM, virtual threads) works unchanged.
 * Denied calls fail with EPERM, which Java code sees as an exception rather than a dead process;
 * only calls that cannot come from this program (another architecture's ABI) kill it.
 */
final class SeccompPolicy {
    private SeccompPolicy() {}

    static final int AUDIT_ARCH_X86_64 = 0xC000003E;
    /** x32 system calls are x86_64 numbers with this bit set. */
    static final int X32_SYSCALL_BIT = 0x40000000;
    static final int NR_CLONE = 56, NR_CLONE3 = 435, NR_SOCKET = 41, NR_SOCKETPAIR = 53, NR_IOCTL = 16;
    static final int CLONE_THREAD = 0x10000, AF_UNIX = 1, TIOCSTI = 0x5412, TIOCLINUX = 0x541C;

    /** A system call the backend never makes, by its x86_64 number. */
    record Denied(String name, int nr) {}

    /** Denied outright. clone, clone3, socket, socketpair and ioctl are denied by argument, below. */
    static final List<Denied> DENIED = List.of(
            // new programs and processes (threads are clone with CLONE_THREAD)
            new Denied("fork", 57), new Denied("vfork", 58), new Denied("execve", 59), new Denied("execveat", 322),
            // other processes' memory and descriptors
            new Denied("ptrace", 101), new Denied("process_vm_readv", 310), new Denied("process_vm_writev", 311),
            new Denied("kcmp", 312), new Denied("pidfd_getfd", 438),
            // identity and privileges
            new Denied("setuid", 105), new Denied("setgid", 106), new Denied("setreuid", 113), new Denied("setregid", 114),
            new Denied("setgroups", 116), new Denied("setresuid", 117), new Denied("setresgid", 119),
            new Denied("setfsuid", 122), new Denied("setfsgid", 123), new Denied("capset", 126),
            // namespaces, mounts and the root directory
            new Denied("unshare", 272), new Denied("setns", 308), new Denied("mount", 165), new Denied("umount2", 166),
            new Denied("pivot_root", 155), new Denied("chroot", 161), new Denied("open_tree", 428),
            new Denied("move_mount", 429), new Denied("fsopen", 430), new Denied("fsconfig", 431),
            new Denied("fsmount", 432), new Denied("fspick", 433), new Denied("mount_setattr", 442),
            new Denied("open_by_handle_at", 304), new Denied("name_to_handle_at", 303),
            // kernel code, kernel state and the machine
            new Denied("init_module", 175), new Denied("finit_module", 313), new Denied("delete_module", 176),
            new Denied("kexec_load", 246), new Denied("kexec_file_load", 320), new Denied("bpf", 321),
            new Denied("perf_event_open", 298), new Denied("reboot", 169), new Denied("swapon", 167),
            new Denied("swapoff", 168), new Denied("syslog", 103), new Denied("acct", 163), new Denied("quotactl", 179),
            new Denied("quotactl_fd", 443), new Denied("sethostname", 170), new Denied("setdomainname", 171),
            new Denied("settimeofday", 164), new Denied("clock_settime", 227), new Denied("adjtimex", 159),
            new Denied("clock_adjtime", 305), new Denied("iopl", 172), new Denied("ioperm", 173),
            new Denied("vhangup", 153), new Denied("lookup_dcookie", 212),
            // key rings, userfaultfd and io_uring: large attack surface the backend does not use
            new Denied("add_key", 248), new Denied("request_key", 249), new Denied("keyctl", 250),
            new Denied("userfaultfd", 323), new Denied("io_uring_setup", 425), new Denied("io_uring_enter", 426),
            new Denied("io_uring_register", 427),
            // obsolete calls (as QEMU's -sandbox obsolete=deny)
            new Denied("uselib", 134), new Denied("ustat", 136), new Denied("sysfs", 139), new Denied("_sysctl", 156),
            new Denied("create_module", 174), new Denied("get_kernel_syms", 177), new Denied("query_module", 178),
            new Denied("nfsservctl", 180), new Denied("personality", 135));

    private static final int EPERM = Seccomp.retErrno(Errno.EPERM);

    /**
     * The filter. {@code impossible} is the result for calls that cannot come from this JVM (another ABI):
     * KILL_PROCESS where the kernel has it.
     */
    static Bpf program(int impossible) {
        Bpf b = new Bpf()
                .load(SeccompData.ARCH)
                .returnUnless(Bpf.JEQ, AUDIT_ARCH_X86_64, impossible) // numbers differ per ABI: check it first
                .load(SeccompData.NR)
                .returnIf(Bpf.JGE, X32_SYSCALL_BIT, impossible);
        for (Denied d : DENIED) b.returnIf(Bpf.JEQ, d.nr(), EPERM);
        // clone3's flags sit in memory, out of the filter's reach: ENOSYS makes glibc fall back to clone
        b.returnIf(Bpf.JEQ, NR_CLONE3, Seccomp.retErrno(Errno.ENOSYS));
        b.onlyIf(Bpf.JEQ, NR_CLONE, c -> c.load(SeccompData.argLow(0))
                .returnUnless(Bpf.JSET, CLONE_THREAD, EPERM) // threads yes, processes no
                .load(SeccompData.NR));
        for (int nr : new int[] {NR_SOCKET, NR_SOCKETPAIR}) {
            b.onlyIf(Bpf.JEQ, nr, s -> s.load(SeccompData.argLow(0))
                    .returnUnless(Bpf.JEQ, AF_UNIX, EPERM) // every listener is a unix socket, bound before
                    .load(SeccompData.NR));
        }
        b.onlyIf(Bpf.JEQ, NR_IOCTL, i -> i.load(SeccompData.argLow(1))
                .returnIf(Bpf.JEQ, TIOCSTI, EPERM) // pushing input into an inherited terminal
                .returnIf(Bpf.JEQ, TIOCLINUX, EPERM)
                .load(SeccompData.NR));
        return b.ret(Seccomp.RET_ALLOW);
    }

    /** How many calls the filter denies in some way (the outright list plus clone3, clone, socket, socketpair, ioctl). */
    static int deniedCount() {
        return DENIED.size() + 5;
    }
}
