package dev.panamavgpu.cli;

import dev.panamavgpu.gpu.device.GpuLimits;
import dev.panamavgpu.input.InputService;
import dev.panamavgpu.input.InputSink;
import dev.panamavgpu.memory.MemoryLimits;
import java.io.IOException;
import dev.panamavgpu.qxl.QxlService;
import dev.panamavgpu.sandbox.Sandbox;
import dev.panamavgpu.sandbox.SandboxMode;
import dev.panamavgpu.sandbox.SandboxPaths;
import dev.panamavgpu.sandbox.SandboxReport;
import dev.panamavgpu.vnc.ScreenHub;
import dev.panamavgpu.vnc.VncConfig;
import dev.panamavgpu.vnc.VncServer;
import dev.panamavgpu.vhostuser.backend.FrontEndIdentity;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The backend executable, following the "backend program conventions" of vhost-user.rst. */
@Command(name = "panama-vgpu", mixinStandardHelpOptions = true, version = "panama-vgpu 0.1.0",
        description = {"A vhost-user GPU device backend (virtio-gpu 2D, 3D with --virgl) for QEMU.",
                "QEMU connects with: -chardev socket,id=gpu,path=PATH -device vhost-user-gpu-pci,chardev=gpu",
                "and guest RAM shared: -object memory-backend-memfd,id=mem,size=...,share=on -numa node,memdev=mem"},
        sortOptions = false)
public final class Main implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(Main.class);
    /**
     * The --print-capabilities answer: "virgl" where libvirglrenderer.so.1 and an EGL load, and
     * "render-node" where a DRM render node exists too. The package's launcher answers the same from
     * file checks, without a JVM (packaging/launcher.sh).
     */
    static String capabilities() {
        boolean virgl = Capabilities3d.virglLoads();
        boolean node = virgl && Capabilities3d.renderNodePresent();
        String f = (node ? "\"render-node\", " : "") + (virgl ? "\"virgl\"" : "");
        return "{\"type\": \"gpu\", \"features\": [" + f.replaceAll(", $", "") + "]}";
    }

    @Option(names = {"-s", "--socket-path"}, paramLabel = "PATH", description = "Listen on this unix socket path.")
    String socketPath;

    @Option(names = {"-f", "--fd"}, paramLabel = "FDNUM", description = "Serve an inherited, connected socket (as libvirt does).")
    Integer fd;

    @Option(names = {"-c", "--print-capabilities"}, description = "Print the backend capabilities as JSON and exit.")
    boolean printCapabilities;

    @Option(names = "--virgl", description = "3D: offer VIRGL to the guest, rendered by virglrenderer (EGL surfaceless on llvmpipe "
            + "without --render-node). One VM per process (docs/security.md).")
    boolean virgl;

    @Option(names = "--render-node", paramLabel = "PATH", description = "With --virgl: render on this DRM render node (/dev/dri/renderD128).")
    String renderNode;

    @Option(names = "--socket-mode", paramLabel = "OCTAL", defaultValue = "0600",
            description = "Permissions of the listening socket (default: ${DEFAULT-VALUE}).")
    String socketMode;

    @Option(names = "--max-outputs", paramLabel = "N", defaultValue = "16",
            description = "Scanouts the device accepts, 1..16 (QEMU's max_outputs decides how many it shows; default: ${DEFAULT-VALUE}).")
    int maxOutputs;

    @Option(names = "--max-resident", paramLabel = "BYTES", defaultValue = "256M",
            description = "RAM a guest's resources may occupy; colder ones move to the page file (default: ${DEFAULT-VALUE}).")
    String maxResident;

    @Option(names = "--max-total", paramLabel = "BYTES", defaultValue = "1G",
            description = "All memory a guest may cause, RAM and page file; past it, ERR_OUT_OF_MEMORY (default: ${DEFAULT-VALUE}).")
    String maxTotal;

    @Option(names = "--max-vms", paramLabel = "N", defaultValue = "1",
            description = "Front-ends (VMs) served at once on --socket-path, each with its own thread, device and memory; "
                    + "with N > 1, --max-resident/--max-total are for all VMs together and only peers with our uid "
                    + "(or --allow-uid) are served (default: ${DEFAULT-VALUE}).")
    int maxVms;

    @Option(names = "--allow-uid", paramLabel = "UID", description = "With --max-vms > 1, also serve front-ends running as UID (repeatable).")
    java.util.List<Integer> allowUids = new java.util.ArrayList<>();

    @Option(names = "--vm-max-resident", paramLabel = "BYTES",
            description = "With --max-vms > 1: RAM one VM's resources may occupy (default: half of --max-resident).")
    String vmMaxResident;

    @Option(names = "--vm-max-total", paramLabel = "BYTES",
            description = "With --max-vms > 1: all memory one VM may cause (default: half of --max-total).")
    String vmMaxTotal;

    @Option(names = "--page-dir", paramLabel = "DIR", defaultValue = "/var/tmp",
            description = "Directory of the (unnamed, sparse) page file; best on a disk, not tmpfs (default: ${DEFAULT-VALUE}).")
    Path pageDir;

    @Option(names = "--stats-socket", paramLabel = "PATH",
            description = "Answer memory and display figures on this unix socket (read them with --stats PATH).")
    Path statsSocket;

    @Option(names = "--stats", paramLabel = "PATH", description = "Print the figures of the backend serving --stats-socket PATH, and exit.")
    Path queryStats;


    @Option(names = "--log-file", paramLabel = "PATH",
            description = "Append the log here. Without it the log goes to stderr, or to syslog (/dev/log) when stderr leads nowhere (libvirt: /dev/null).")
    Path logFile;

    @Option(names = "--ivshmem-socket", paramLabel = "PATH",
            description = "Also (or only) serve QXL over ivshmem here: -chardev socket,id=iv,path=PATH -device ivshmem-doorbell,chardev=iv,vectors=2 (docs/qxl.md).")
    String ivshmemSocket;

    @Option(names = "--ivshmem-size", paramLabel = "BYTES", defaultValue = "16M",
            description = "Size of the ivshmem region, a power of two (default: ${DEFAULT-VALUE}).")
    String ivshmemSize;

    @Option(names = "--control-socket", paramLabel = "PATH",
            description = "Control socket of the QXL device: one line 'png FILE', 'png' or 'stats' per connection.")
    String controlSocket;

    @Option(names = "--input-socket", paramLabel = "PATH",
            description = "Also serve a keyboard + tablet (virtio-input) here for the remote display's viewers: "
                    + "-chardev socket,id=in0,path=PATH -device vhost-user-input-pci,chardev=in0.")
    String inputSocket;

    @Option(names = "--vnc", paramLabel = "ADDRESS",
            description = "Serve the screen to VNC viewers (RFB 3.8) on HOST:PORT or unix:PATH: the virtio-gpu scanout, "
                    + "or with --ivshmem-socket alone the QXL primary surface; off by default.")
    String vnc;

    @Option(names = "--vnc-password-file", paramLabel = "FILE",
            description = "VNC authentication with the password in FILE (its first line; RFB uses the first 8 bytes).")
    Path vncPasswordFile;

    @Option(names = "--vnc-no-auth", description = "Let VNC viewers in without a password (always so on a unix socket without --vnc-password-file).")
    boolean vncNoAuth;

    @Option(names = "--vnc-max-clients", paramLabel = "N", defaultValue = "8",
            description = "VNC viewers at once; more are turned away (default: ${DEFAULT-VALUE}).")
    int vncMaxClients;

    @Option(names = "--vnc-scanout", paramLabel = "N", defaultValue = "0",
            description = "The virtio-gpu scanout VNC viewers see (default: ${DEFAULT-VALUE}).")
    int vncScanout;

    @Option(names = "--sandbox", paramLabel = "MODE", defaultValue = "on",
            description = "on: after setup, confine the process (seccomp, Landlock, no capabilities; what the kernel lacks is skipped); "
                    + "require: fail if a layer is missing; off (docs/security.md; default: ${DEFAULT-VALUE}).")
    SandboxMode sandbox;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        Main quick = QuickArgs.parse(new Main(), args); // libvirt's --fd=N and the like, without picocli's model
        if (quick != null) {
            try {
                return quick.call();
            } catch (Exception e) {
                e.printStackTrace(); // as picocli's execute() does, with the same exit status
                return 1;
            }
        }
        CommandLine cl = new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = cl.getErr();
            err.println("panama-vgpu: " + ex.getMessage());
            err.println("Try 'panama-vgpu --help'.");
            return 2;
        });
        return cl.execute(args);
    }

    private static String uid() {
        try {
            return String.valueOf(java.nio.file.Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return "?";
        }
    }

    private static int ownUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot tell our own uid", e);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (printCapabilities) {
            System.out.println(capabilities());
            return 0;
        }
        if (queryStats != null) {
            try {
                System.out.print(StatsServer.query(queryStats));
                return 0;
            } catch (IOException e) {
                System.err.println("panama-vgpu: cannot read figures from " + queryStats + ": " + e.getMessage());
                return 1;
            }
        }
        try {
            String output = LogOutput.install(logFile);
            log.info("panama-vgpu started (pid {}, uid {}), logging to {}", ProcessHandle.current().pid(), uid(), output);
        } catch (IOException e) {
            System.err.println("panama-vgpu: cannot open the log: " + e.getMessage());
            return 2;
        }
        if ((socketPath != null && fd != null) || (socketPath == null && fd == null && ivshmemSocket == null && inputSocket == null)) {
            System.err.println("panama-vgpu: give one of --socket-path=PATH or --fd=FDNUM, and/or --ivshmem-socket=PATH, --input-socket=PATH");
            return 2;
        }
        int mode;
        GpuLimits limits;
        MemoryLimits memoryLimits;
        VmSlots slots;
        long ivshmemBytes;
        try {
            mode = Integer.parseInt(socketMode, 8);
            limits = GpuLimits.defaults().withMaxOutputs(maxOutputs);
            memoryLimits = new MemoryLimits(Sizes.parse(maxResident), Sizes.parse(maxTotal), pageDir);
            String conflict = VmSlots.conflict(maxVms, fd != null, vnc != null, virgl);
            if (conflict != null) throw new IllegalArgumentException(conflict);
            slots = VmSlots.of(maxVms, java.util.Set.copyOf(allowUids), memoryLimits,
                    vmMaxResident != null ? Sizes.parse(vmMaxResident) : null, vmMaxTotal != null ? Sizes.parse(vmMaxTotal) : null);
            ivshmemBytes = Sizes.parse(ivshmemSize);
        } catch (IllegalArgumentException e) {
            System.err.println("panama-vgpu: " + e.getMessage());
            return 2;
        }
        VncConfig vncConfig = null;
        if (vnc != null) {
            try {
                vncConfig = VncOptions.config(vnc, vncPasswordFile, vncNoAuth, vncMaxClients, vncScanout);
                if (socketPath == null && fd == null && ivshmemSocket == null)
                    throw new IllegalArgumentException("--vnc shows the virtio-gpu device (--socket-path, --fd) or the QXL one (--ivshmem-socket)");
            } catch (IllegalArgumentException | IOException e) {
                System.err.println("panama-vgpu: " + e.getMessage());
                return 2;
            }
        }
        if (!Files.isDirectory(pageDir) || !Files.isWritable(pageDir)) {
            System.err.println("panama-vgpu: --page-dir " + pageDir + " is not a writable directory");
            return 2;
        }
        if (renderNode != null && !virgl) {
            System.err.println("panama-vgpu: --render-node needs --virgl");
            return 2;
        }
        if (virgl) {
            if (socketPath == null && fd == null) {
                System.err.println("panama-vgpu: --virgl is for the vhost-user GPU (--socket-path or --fd)");
                return 2;
            }
            // the library is loaded now (before the sandbox); the renderer starts after it, so its
            // thread, which runs the guest's command streams, is confined like every serving thread
            String why = dev.panamavgpu.ffm.Virglrenderer.unavailableReason();
            if (why != null) {
                System.err.println("panama-vgpu: --virgl: " + why);
                return 1;
            }
        }
        QxlService qxl = null;
        GpuService gpu = null;
        StatsServer stats = null;
        InputService input = null;
        VncServer vncServer = null;
        try {
            // the input device first: VNC viewers' keys and pointer go to it
            if (inputSocket != null) input = InputService.listen(inputSocket, mode);
            InputSink viewerInput = input != null ? input : InputSink.NONE;
            if (ivshmemSocket != null) {
                // the QXL device has a memory manager of its own (its own loop thread) with the same limits
                qxl = QxlService.listen(ivshmemSocket, mode, ivshmemBytes, controlSocket, QxlService.defaultConfig(memoryLimits));
                if (vncConfig != null && socketPath == null && fd == null) {
                    // QXL alone: viewers see its primary surface, read on the ivshmem loop
                    ScreenHub hub = new ScreenHub(qxl.server().loop(), 0, vncConfig.maxCopyBytes());
                    qxl.device().watch(hub);
                    vncServer = VncServer.bind(vncConfig, hub, viewerInput);
                }
            }
            if (socketPath != null || fd != null) {
                // libvirt's socketpair names libvirtd as the peer: the VM's name is in libvirt's pidfile (FrontEndIdentity)
                if (fd != null) FrontEndIdentity.learnLibvirtName(Path.of("/run/libvirt/qemu"));
                gpu = socketPath != null ? GpuService.listen(socketPath, mode, limits, memoryLimits, slots, ownUid())
                        : GpuService.adopt(fd, limits, memoryLimits);
                if (statsSocket != null) stats = StatsServer.bind(statsSocket, gpu::figuresText);
                if (vncConfig != null) {
                    // bound now, before the sandbox forbids new sockets; viewers are accepted once it serves
                    ScreenHub hub = new ScreenHub(gpu.loop(), vncConfig.scanout(), vncConfig.maxCopyBytes());
                    gpu.watch(hub);
                    vncServer = VncServer.bind(vncConfig, hub, viewerInput);
                }
            }
            // sockets bound: confine the process on this thread, which then starts every serving thread
            SandboxReport confined = Sandbox.enter(sandbox, sandboxPaths());
            if (!confined.acceptable()) throw new IOException("--sandbox=require: " + confined.oneLine());
            if (virgl && gpu != null) {
                try {
                    gpu.renderer(dev.panamavgpu.gpu.virgl.Renderer.shared(renderNode));
                } catch (dev.panamavgpu.gpu.virgl.RendererException e) {
                    throw new IOException("--virgl: " + e.getMessage());
                }
            }
            if (qxl != null) {
                qxl.start();
                log.info("ivshmem (QXL) listening on {}", ivshmemSocket);
            }
            if (input != null) {
                input.start();
                log.info("input device listening on {}", inputSocket);
            }
            if (gpu != null) {
                if (stats != null) stats.start();
                GpuService g = gpu;
                FiguresSignal.onUsr1(() -> g.logFigures(log, ""));
                gpu.start();
                log.info("listening on {}{}", socketPath != null ? socketPath : "fd " + fd, slots.many() ? " for up to " + slots.maxVms() + " VMs" : "");
            }
            if (vncServer != null) vncServer.start();
        } catch (IOException | IllegalArgumentException e) { // ErrnoException is an IOException
            System.err.println("panama-vgpu: cannot serve: " + e.getMessage());
            if (stats != null) stats.close();
            if (vncServer != null) vncServer.close();
            if (gpu != null) gpu.close();
            if (qxl != null) qxl.close();
            if (input != null) input.close();
            return e instanceof IllegalArgumentException ? 2 : 1;
        }
        GpuService vhost = gpu;
        QxlService q = qxl;
        VncServer viewers = vncServer;
        InputService in = input;
        Thread hook = new Thread(() -> {
            if (viewers != null) viewers.close();
            if (vhost != null) vhost.close();
            if (q != null) q.close();
            if (in != null) in.close();
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        // serve until SIGTERM or, with --fd, disconnect
        while (vhost != null ? !vhost.awaitStop(1, TimeUnit.HOURS)
                : q != null ? !q.awaitStop(1, TimeUnit.HOURS) : !in.awaitStop(1, TimeUnit.HOURS)) { /* wait */ }
        if (vhost != null) log.info("figures at exit: {}", vhost.figuresAtExit()); // the loop has ended: its state is ours
        if (stats != null) stats.close();
        if (viewers != null) viewers.close();
        if (vhost != null && q != null) q.close();
        if (in != null && (vhost != null || q != null)) in.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // SIGTERM path: the hook is already running
        }
        if (vhost != null && vhost.stoppedByFault()) {
            log.error("the vhost-user loop stopped on a fault of its own (logged above); exiting with status 1");
            return 1;
        }
        return 0;
    }

    private SandboxPaths sandboxPaths() {
        SandboxPaths p = SandboxPaths.of(pageDir, socketPath, ivshmemSocket, controlSocket,
                statsSocket != null ? statsSocket.toString() : null, inputSocket,
                vnc != null && vnc.startsWith("unix:") ? vnc.substring(5) : null);
        if (virgl) p = p.withGl(renderNode);
        // the control socket's 'png FILE' writes there (docs/qxl.md)
        return controlSocket != null ? p.withWritableDir(Path.of(controlSocket).toAbsolutePath().getParent()) : p;
    }
}
