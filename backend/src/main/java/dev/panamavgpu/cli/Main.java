package dev.panamavgpu.cli;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.gpu.device.GpuDevice;
import dev.panamavgpu.gpu.device.GpuLimits;
import dev.panamavgpu.qxl.QxlService;
import dev.panamavgpu.vhostuser.backend.VhostUserServer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The backend executable, following the "backend program conventions" of vhost-user.rst. */
@Command(name = "panama-vgpu", mixinStandardHelpOptions = true, version = "panama-vgpu 0.1.0",
        description = {"A vhost-user GPU device backend (virtio-gpu 2D) for QEMU.",
                "QEMU connects with: -chardev socket,id=gpu,path=PATH -device vhost-user-gpu-pci,chardev=gpu",
                "and guest RAM shared: -object memory-backend-memfd,id=mem,size=...,share=on -numa node,memdev=mem"},
        sortOptions = false)
public final class Main implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    @Option(names = {"-s", "--socket-path"}, paramLabel = "PATH", description = "Listen on this unix socket path.")
    String socketPath;

    @Option(names = {"-f", "--fd"}, paramLabel = "FDNUM", description = "Serve an inherited, connected socket (as libvirt does).")
    Integer fd;

    @Option(names = {"-c", "--print-capabilities"}, description = "Print the backend capabilities as JSON and exit.")
    boolean printCapabilities;

    @Option(names = "--socket-mode", paramLabel = "OCTAL", defaultValue = "0600",
            description = "Permissions of the listening socket (default: ${DEFAULT-VALUE}).")
    String socketMode;

    @Option(names = "--max-outputs", paramLabel = "N", defaultValue = "16",
            description = "Scanouts the device accepts, 1..16 (QEMU's max_outputs decides how many it shows; default: ${DEFAULT-VALUE}).")
    int maxOutputs;

    @Option(names = "--max-hostmem", paramLabel = "BYTES", defaultValue = "256M",
            description = "Host memory a guest may use for resources, like QEMU's max_hostmem (default: ${DEFAULT-VALUE}).")
    String maxHostmem;

    @Option(names = "--ivshmem-socket", paramLabel = "PATH",
            description = "Also (or only) serve QXL over ivshmem here: -chardev socket,id=iv,path=PATH -device ivshmem-doorbell,chardev=iv,vectors=2 (docs/qxl.md).")
    String ivshmemSocket;

    @Option(names = "--ivshmem-size", paramLabel = "BYTES", defaultValue = "16M",
            description = "Size of the ivshmem region, a power of two (default: ${DEFAULT-VALUE}).")
    String ivshmemSize;

    @Option(names = "--control-socket", paramLabel = "PATH",
            description = "Control socket of the QXL device: one line 'png FILE', 'png' or 'stats' per connection.")
    String controlSocket;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = cl.getErr();
            err.println("panama-vgpu: " + ex.getMessage());
            err.println("Try 'panama-vgpu --help'.");
            return 2;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws Exception {
        if (printCapabilities) {
            // no render node, no virgl: 2D only
            System.out.println("{\"type\": \"gpu\", \"features\": []}");
            return 0;
        }
        if ((socketPath != null && fd != null) || (socketPath == null && fd == null && ivshmemSocket == null)) {
            System.err.println("panama-vgpu: give one of --socket-path=PATH or --fd=FDNUM, and/or --ivshmem-socket=PATH");
            return 2;
        }
        int mode;
        long hostmem;
        GpuLimits limits;
        try {
            mode = Integer.parseInt(socketMode, 8);
            hostmem = Sizes.parse(maxHostmem);
            limits = GpuLimits.defaults().withMaxOutputs(maxOutputs).withMaxHostMemory(hostmem);
        } catch (IllegalArgumentException e) {
            System.err.println("panama-vgpu: " + e.getMessage());
            return 2;
        }
        QxlService qxl = null;
        if (ivshmemSocket != null) {
            try {
                qxl = QxlService.start(ivshmemSocket, mode, Sizes.parse(ivshmemSize), controlSocket, QxlService.defaultConfig(hostmem));
            } catch (IllegalArgumentException | java.io.IOException e) {
                System.err.println("panama-vgpu: cannot serve ivshmem: " + e.getMessage());
                return e instanceof IllegalArgumentException ? 2 : 1;
            }
            log.info("ivshmem (QXL) listening on {}", ivshmemSocket);
        }
        VhostUserServer server = null;
        if (socketPath != null || fd != null) {
            try {
                server = socketPath != null
                        ? VhostUserServer.listen(socketPath, mode, () -> new GpuDevice(limits))
                        : VhostUserServer.adopt(Fd.adopt(fd), () -> new GpuDevice(limits));
            } catch (ErrnoException e) {
                System.err.println("panama-vgpu: cannot serve: " + e.getMessage());
                if (qxl != null) qxl.close();
                return 1;
            }
            server.start();
            log.info("listening on {}", socketPath != null ? socketPath : "fd " + fd);
        }
        VhostUserServer vhost = server;
        QxlService q = qxl;
        Thread hook = new Thread(() -> {
            if (vhost != null) vhost.close();
            if (q != null) q.close();
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        // serve until SIGTERM or, with --fd, disconnect
        while (vhost != null ? !vhost.awaitStop(1, TimeUnit.HOURS) : !q.awaitStop(1, TimeUnit.HOURS)) { }
        if (vhost != null && q != null) q.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // SIGTERM path: the hook is already running
        }
        return 0;
    }
}
