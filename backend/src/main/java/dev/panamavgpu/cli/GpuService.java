package dev.panamavgpu.cli;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.gpu.device.GpuDevice;
import dev.panamavgpu.gpu.display.ScreenWatcher;
import dev.panamavgpu.gpu.device.GpuFigures;
import dev.panamavgpu.gpu.device.GpuLimits;
import dev.panamavgpu.gpu.virgl.Renderer;
import dev.panamavgpu.memory.MemoryLimits;
import dev.panamavgpu.memory.MemoryManager;
import dev.panamavgpu.memory.PressureGauge;
import dev.panamavgpu.memory.Shrinker;
import dev.panamavgpu.vhostuser.backend.VhostUserDevice;
import dev.panamavgpu.vhostuser.backend.VhostUserServer;
import dev.panamavgpu.vhostuser.loop.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The vhost-user GPU as the executable runs it: the server, the process's memory manager and its
 * shrinker, and the figures. Everything here is used on the server's loop thread; other threads
 * get the figures through {@link #figuresText}, which asks the loop.
 */
final class GpuService implements AutoCloseable {
    private final VhostUserServer server;
    private final MemoryManager memory;
    private final Shrinker shrinker;
    private GpuDevice current; // the device of the current connection; loop thread only
    private volatile ScreenWatcher watcher = ScreenWatcher.NONE; // set before start()

    private volatile Renderer renderer; // 3D (--virgl): set before start(), after the sandbox

    private GpuService(GpuLimits limits, MemoryLimits memoryLimits, ServerFactory factory) throws ErrnoException {
        this.memory = new MemoryManager(memoryLimits); // handed to the loop thread by start(), used there only
        this.shrinker = new Shrinker(memory, PressureGauge.forThisHost());
        try {
            this.server = factory.create(() -> {
                current = new GpuDevice(limits, memory, watcher, renderer);
                return current;
            });
        } catch (ErrnoException | RuntimeException e) {
            memory.close();
            throw e;
        }
    }

    private interface ServerFactory {
        VhostUserServer create(Supplier<VhostUserDevice> devices) throws ErrnoException;
    }

    static GpuService listen(String path, int mode, GpuLimits limits, MemoryLimits memoryLimits) throws ErrnoException {
        return new GpuService(limits, memoryLimits, devices -> VhostUserServer.listen(path, mode, devices));
    }

    static GpuService adopt(int fd, GpuLimits limits, MemoryLimits memoryLimits) throws ErrnoException {
        return new GpuService(limits, memoryLimits, devices -> VhostUserServer.adopt(Fd.adopt(fd), devices));
    }

    /** 3D for every device from now on (--virgl); before {@link #start}. */
    void renderer(Renderer r) { this.renderer = r; }

    /** The loop every device of this service runs on. */
    EventLoop loop() { return server.loop(); }

    /** A second display (remote viewers) for every device; before {@link #start}. */
    void watch(ScreenWatcher w) { this.watcher = w; }

    GpuService start() {
        EventLoop loop = server.loop();
        loop.execute(() -> pollPressure(loop));
        server.start();
        return this;
    }

    boolean stoppedByFault() { return server.stoppedByFault(); }

    boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return server.awaitStop(timeout, unit);
    }

    /** Loop thread only (or after the loop has ended). */
    GpuFigures figures() {
        if (current != null) return current.figures(shrinker.episodes());
        return new GpuFigures(memory.figures(), 0, 0, 0, 0, null, shrinker.episodes());
    }

    /** From any thread: asks the loop for the figures and waits a little for them. */
    String figuresText() {
        CompletableFuture<String> f = new CompletableFuture<>();
        server.loop().execute(() -> f.complete(figures().text()));
        try {
            return f.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "error the backend did not answer: " + e + "\n";
        }
    }

    /** From any thread: logs the figures on the loop. */
    void logFigures(Logger log, String when) {
        server.loop().execute(() -> log.info("figures{}: {}", when, figures().oneLine()));
    }

    private void pollPressure(EventLoop loop) {
        shrinker.poll();
        loop.schedule(Shrinker.PERIOD_MILLIS, () -> pollPressure(loop));
    }

    /** Stops serving; safe from any thread. The memory manager is closed once the loop has ended. */
    @Override
    public void close() {
        server.close();
        memory.close();
    }
}
