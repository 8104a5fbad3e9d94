package dev.panamavgpu.sandbox;

import dev.panamavgpu.ffm.Capabilities;
import dev.panamavgpu.ffm.Epoll;
import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Landlock;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.ffm.Prctl;
import dev.panamavgpu.ffm.Syscall;
import dev.panamavgpu.ffm.TmpFiles;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * Run in a child JVM by {@link SandboxTest}: enters the sandbox, then tries what it must deny and what
 * must keep working, printing one {@code key=result} line each. Results are "ok", an errno name, or
 * an exception's class and message. Arguments: page dir, socket path, a file outside every grant, a directory granted for writing.
 */
public final class SandboxProbe {
    private static final long SYS_SOCKET = 41, SYS_EXECVE = 59, SYS_PTRACE = 101, SYS_PROCESS_VM_READV = 310;
    private static final long PTRACE_TRACEME = 0, PTRACE_ATTACH = 16;
    private static final int AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10, SOCK_STREAM = 1;

    interface Action { void run() throws Exception; }

    public static void main(String[] args) throws Exception {
        Path pageDir = Path.of(args[0]), socket = Path.of(args[1]), outside = Path.of(args[2]);
        // a thread started before the sandbox: Landlock below ABI 8 does not reach it
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<String> early = new CompletableFuture<>();
        Thread.ofPlatform().name("early").start(() -> {
            try { go.await(); } catch (InterruptedException e) { return; }
            early.complete(attempt(() -> Files.readString(outside)));
        });

        Path writable = Path.of(args[3]);
        SandboxReport r = Sandbox.enter(SandboxMode.REQUIRE, SandboxPaths.of(pageDir, socket.toString()).withWritableDir(writable));
        print("report", r.oneLine());
        print("complete", Boolean.toString(r.complete()));
        print("landlockAbi", attempt(() -> print("abi", Integer.toString(Landlock.abiVersion()))));

        // denied
        print("processBuilder", attempt(() -> new ProcessBuilder("/bin/true").start().waitFor()));
        print("execve", attempt(() -> { // a missing program: ENOENT if execve were allowed, never a replaced JVM
            try (Arena a = Arena.ofConfined()) {
                Syscall.call("execve", SYS_EXECVE, a.allocateFrom("/nonexistent/true").address(), 0, 0);
            }
        }));
        print("readOutside", attempt(() -> Files.readString(outside)));
        print("readEtcHostname", attempt(() -> Files.readString(Path.of("/etc/hostname"))));
        print("createInSocketDir", attempt(() -> Files.writeString(socket.resolveSibling("new-file"), "x")));
        print("afInet", attempt(() -> closeSocket(Syscall.call("socket", SYS_SOCKET, AF_INET, SOCK_STREAM, 0))));
        print("afInet6", attempt(() -> closeSocket(Syscall.call("socket", SYS_SOCKET, AF_INET6, SOCK_STREAM, 0))));
        print("javaSocket", attempt(() -> { try (Socket s = new Socket()) { s.connect(new InetSocketAddress("127.0.0.1", 9)); } }));
        print("ptraceTraceme", attempt(() -> Syscall.call("ptrace", SYS_PTRACE, PTRACE_TRACEME, 0, 0)));
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(1L);
        print("ptraceAttach", attempt(() -> Syscall.call("ptrace", SYS_PTRACE, PTRACE_ATTACH, parent, 0)));
        print("processVmReadv", attempt(() -> Syscall.call("process_vm_readv", SYS_PROCESS_VM_READV, parent, 0, 0, 0, 0)));

        // still working
        print("afUnix", attempt(() -> closeSocket(Syscall.call("socket", SYS_SOCKET, AF_UNIX, SOCK_STREAM, 0))));
        print("pageFile", attempt(() -> { try (Fd f = TmpFiles.openUnnamed(pageDir.toString())) { Libc.ftruncate(f.get(), 1 << 20); } }));
        print("writeInWritableDir", attempt(() -> { Files.writeString(writable.resolve("a.png"), "x"); Files.writeString(writable.resolve("a.png"), "y"); }));
        print("memfd", attempt(() -> Libc.memfdCreate("probe", 0).close()));
        print("epoll", attempt(() -> new Epoll(4).close()));
        print("gc", attempt(System::gc));
        print("jit", attempt(() -> { long s = 0; for (int i = 0; i < 50_000_000; i++) s += i ^ (s >>> 3); if (s == 42) print("x", ""); }));
        print("readJavaHome", attempt(() -> Files.readAllBytes(Path.of(System.getProperty("java.home"), "release"))));
        CompletableFuture<String> later = new CompletableFuture<>();
        Thread.ofPlatform().name("later").start(() -> later.complete(attempt(() -> Files.readString(outside))));
        print("laterThreadReadOutside", later.get());
        go.countDown();
        print("earlyThreadReadOutside", early.get());

        // the process as a whole
        print("callerCapEff", Long.toHexString(Capabilities.ofThisThread().effective()));
        print("dumpable", Boolean.toString(Prctl.dumpable()));
        List<String> threads = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : tasks.toList()) {
                String st;
                try {
                    st = Files.readString(t.resolve("status"));
                } catch (java.nio.file.NoSuchFileException ended) {
                    continue; // the thread ended meanwhile
                }
                threads.add(field(st, "Name") + ":" + field(st, "NoNewPrivs") + "/" + field(st, "Seccomp"));
            }
        }
        print("threads", String.join(",", threads));
        print("done", "ok");
    }

    private static void closeSocket(long fd) throws ErrnoException { Libc.close((int) fd); }

    private static String field(String status, String name) {
        for (String l : status.split("\n")) if (l.startsWith(name + ":")) return l.substring(name.length() + 1).strip();
        return "?";
    }

    private static String attempt(Action a) {
        try {
            a.run();
            return "ok";
        } catch (ErrnoException e) {
            return e.errnoName();
        } catch (Exception e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }

    private static synchronized String print(String key, String value) {
        System.out.println(key + "=" + value.replace('\n', ' '));
        return value;
    }
}
