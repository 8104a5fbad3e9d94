package dev.panamavgpu.cli;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.gpu.device.GpuDevice;
import dev.panamavgpu.gpu.device.GpuFigures;
import dev.panamavgpu.gpu.device.GpuLimits;
import dev.panamavgpu.memory.MemoryLimits;
import dev.panamavgpu.memory.MemoryManager;
import dev.panamavgpu.memory.PressureGauge;
import dev.panamavgpu.memory.Shrinker;
import dev.panamavgpu.vhostuser.loop.EventLoop;
import java.io.IOException;
import dev.panamavgpu.vhostuser.backend.VhostUserServer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
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

    @Option(names = "--max-resident", paramLabel = "BYTES", defaultValue = "256M",
            description = "RAM a guest's resources may occupy; colder ones move to the page file (default: ${DEFAULT-VALUE}).")
    String maxResident;

    @Option(names = "--max-total", paramLabel = "BYTES", defaultValue = "1G",
            description = "All memory a guest may cause, RAM and page file; past it, ERR_OUT_OF_MEMORY (default: ${DEFAULT-VALUE}).")
    String maxTotal;

    @Option(names = "--page-dir", paramLabel = "DIR", defaultValue = "/var/tmp",
            description = "Directory of the (unnamed, sparse) page file; best on a disk, not tmpfs (default: ${DEFAULT-VALUE}).")
    Path pageDir;

    @Option(names = "--stats-socket", paramLabel = "PATH",
            description = "Answer memory and display figures on this unix socket (read them with --stats PATH).")
    Path statsSocket;

    @Option(names = "--stats", paramLabel = "PATH", description = "Print the figures of the backend serving --stats-socket PATH, and exit.")
    Path queryStats;

    /** The device of the current connection; touched on the loop thread only. */
    private GpuDevice current;
    private MemoryManager memory;
    private Shrinker shrinker;

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
        if (queryStats != null) {
            try {
                System.out.print(StatsServer.query(queryStats));
                return 0;
            } catch (IOException e) {
                System.err.println("panama-vgpu: cannot read figures from " + queryStats + ": " + e.getMessage());
                return 1;
            }
        }
        if ((socketPath == null) == (fd == null)) {
            System.err.println("panama-vgpu: give exactly one of --socket-path=PATH or --fd=FDNUM");
            return 2;
        }
        int mode;
        GpuLimits limits;
        MemoryLimits memoryLimits;
        try {
            mode = Integer.parseInt(socketMode, 8);
            limits = GpuLimits.defaults().withMaxOutputs(maxOutputs);
            memoryLimits = new MemoryLimits(Sizes.parse(maxResident), Sizes.parse(maxTotal), pageDir);
        } catch (IllegalArgumentException e) {
            System.err.println("panama-vgpu: " + e.getMessage());
            return 2;
        }
        if (!Files.isDirectory(pageDir) || !Files.isWritable(pageDir)) {
            System.err.println("panama-vgpu: --page-dir " + pageDir + " is not a writable directory");
            return 2;
        }
        memory = new MemoryManager(memoryLimits); // handed to the loop thread by start(), used there only
        shrinker = new Shrinker(memory, PressureGauge.forThisHost());
        VhostUserServer server;
        try {
            server = socketPath != null
                    ? VhostUserServer.listen(socketPath, mode, () -> newDevice(limits))
                    : VhostUserServer.adopt(Fd.adopt(fd), () -> newDevice(limits));
        } catch (ErrnoException e) {
            System.err.println("panama-vgpu: cannot serve: " + e.getMessage());
            return 1;
        }
        EventLoop loop = server.loop();
        loop.execute(() -> pollPressure(loop));
        StatsServer stats = null;
        if (statsSocket != null) {
            try {
                stats = StatsServer.start(statsSocket, () -> figuresFromLoop(loop));
            } catch (IOException e) {
                System.err.println("panama-vgpu: cannot listen on --stats-socket " + statsSocket + ": " + e.getMessage());
                server.close();
                return 1;
            }
        }
        FiguresSignal.onUsr1(() -> loop.execute(() -> log.info("figures: {}", figures().oneLine())));
        server.start();
        log.info("listening on {}", socketPath != null ? socketPath : "fd " + fd);
        Thread hook = new Thread(server::close, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        while (!server.awaitStop(1, TimeUnit.HOURS)) { /* serve until SIGTERM or, with --fd, disconnect */ }
        // the loop has ended: its state is ours now
        log.info("figures at exit: {}", figures().oneLine());
        if (stats != null) stats.close();
        memory.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // SIGTERM path: the hook is already running
        }
        return 0;
    }

    private GpuDevice newDevice(GpuLimits limits) {
        current = new GpuDevice(limits, memory);
        return current;
    }

    private GpuFigures figures() {
        if (current != null) return current.figures(shrinker.episodes());
        return new GpuFigures(memory.figures(), 0, 0, 0, 0, null, shrinker.episodes());
    }

    private void pollPressure(EventLoop loop) {
        shrinker.poll();
        loop.schedule(Shrinker.PERIOD_MILLIS, () -> pollPressure(loop));
    }

    /** Runs on the stats thread: asks the loop for the figures and waits a little for them. */
    private String figuresFromLoop(EventLoop loop) {
        CompletableFuture<String> f = new CompletableFuture<>();
        loop.execute(() -> f.complete(figures().text()));
        try {
            return f.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "error the backend did not answer: " + e + "\n";
        }
    }
}
