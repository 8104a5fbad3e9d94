package dev.panamavgpu.cli;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.gpu.device.GpuDevice;
import dev.panamavgpu.gpu.display.ScreenWatcher;
import dev.panamavgpu.gpu.device.GpuFigures;
import dev.panamavgpu.gpu.device.GpuLimits;
import dev.panamavgpu.gpu.virgl.Renderer;
import dev.panamavgpu.memory.HostMemory;
import dev.panamavgpu.memory.HostShrinker;
import dev.panamavgpu.memory.MemoryLimits;
import dev.panamavgpu.memory.MemoryManager;
import dev.panamavgpu.memory.PressureGauge;
import dev.panamavgpu.memory.Shrinker;
import dev.panamavgpu.vhostuser.backend.PeerPolicy;
import dev.panamavgpu.vhostuser.backend.VhostUserServer;
import dev.panamavgpu.vhostuser.loop.EventLoop;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * The vhost-user GPU as the executable runs it: the server, the memory managers and the shrinker,
 * and the figures.
 *
 * <p>One VM (the default): the process's memory manager and its shrinker live on the server's loop
 * thread; other threads get the figures through {@link #figuresText}, which asks the loop.
 *
 * <p>Many VMs (--max-vms): each VM's device and memory manager live on its own loop thread
 * ({@link VmTable}); the host budget ({@link HostMemory}) is shared lock-free and one
 * {@link HostShrinker} thread balances it (docs/memory.md, "Many VMs").
 */
final class GpuService implements AutoCloseable {
    private final VhostUserServer server;
    // one VM
    private final MemoryManager memory;
    private final Shrinker shrinker;
    private GpuDevice current; // the device of the current connection; loop thread only
    private volatile ScreenWatcher watcher = ScreenWatcher.NONE; // set before start()
    // many VMs
    private final VmTable vms;
    private final HostShrinker hostShrinker;

    private volatile Renderer renderer; // 3D (--virgl): set before start(), after the sandbox

    private GpuService(GpuLimits limits, MemoryLimits memoryLimits, ServerFactory factory) throws ErrnoException {
        this.memory = new MemoryManager(memoryLimits); // handed to the loop thread by start(), used there only
        this.shrinker = new Shrinker(memory, PressureGauge.forThisHost());
        this.vms = null;
        this.hostShrinker = null;
        try {
            this.server = factory.create(peer -> {
                current = new GpuDevice(limits, memory, watcher, renderer);
                return current;
            });
        } catch (ErrnoException | RuntimeException e) {
            memory.close();
            throw e;
        }
    }

    private GpuService(GpuLimits limits, MemoryLimits hostLimits, VmSlots slots, String path, int mode, PeerPolicy policy)
            throws ErrnoException {
        this.memory = null;
        this.shrinker = null;
        HostMemory host = new HostMemory(hostLimits.maxResident(), hostLimits.maxTotal(), slots.maxVms());
        this.vms = new VmTable(limits, slots, host);
        this.hostShrinker = new HostShrinker(host, PressureGauge.forThisHost());
        this.server = VhostUserServer.listen(path, mode, vms, policy, "vhost-user-accept");
    }

    private interface ServerFactory {
        VhostUserServer create(VhostUserServer.DeviceFactory devices) throws ErrnoException;
    }

    static GpuService listen(String path, int mode, GpuLimits limits, MemoryLimits memoryLimits) throws ErrnoException {
        return new GpuService(limits, memoryLimits, devices -> VhostUserServer.listen(path, mode, devices, PeerPolicy.ONE, "vhost-user-loop"));
    }

    /** Up to {@code slots.maxVms()} VMs on {@code path}; {@code hostLimits} is the whole process's budget. */
    static GpuService listen(String path, int mode, GpuLimits limits, MemoryLimits hostLimits, VmSlots slots, int ownUid)
            throws ErrnoException {
        if (!slots.many()) return listen(path, mode, limits, hostLimits);
        return new GpuService(limits, hostLimits, slots, path, mode, PeerPolicy.many(slots.maxVms(), ownUid, slots.allowedUids()));
    }

    static GpuService adopt(int fd, GpuLimits limits, MemoryLimits memoryLimits) throws ErrnoException {
        return new GpuService(limits, memoryLimits, devices -> VhostUserServer.adopt(Fd.adopt(fd), devices));
    }

    /** 3D for every device from now on (--virgl, one VM only: virglrenderer is global per process); before {@link #start}. */
    void renderer(Renderer r) {
        if (vms != null) throw new IllegalStateException("3D serves one VM per process");
        this.renderer = r;
    }

    /** The loop every device of this service runs on (one VM); with many, the accepting loop. */
    EventLoop loop() { return server.loop(); }

    VhostUserServer server() { return server; }

    /** A second display (remote viewers) for every device; before {@link #start}. One VM only. */
    void watch(ScreenWatcher w) {
        if (vms != null) throw new IllegalStateException("remote viewers show one VM");
        this.watcher = w;
    }

    GpuService start() {
        if (vms != null) {
            hostShrinker.start();
        } else {
            EventLoop loop = server.loop();
            loop.execute(() -> pollPressure(loop));
        }
        server.start();
        return this;
    }

    boolean stoppedByFault() { return server.stoppedByFault(); }

    boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return server.awaitStop(timeout, unit);
    }

    /** One VM: loop thread only (or after the loop has ended). */
    GpuFigures figures() {
        if (current != null) return current.figures(shrinker.episodes());
        return new GpuFigures(memory.figures(), 0, 0, 0, 0, null, shrinker.episodes());
    }

    /** The figures on one line, once the loop has ended (the log line at exit). */
    String figuresAtExit() {
        if (vms == null) return figures().oneLine();
        return figuresText().strip().replace(' ', '=').replace('\n', ' ');
    }

    /** From any thread: asks the loop (each VM's loop) for the figures and waits a little for them. */
    String figuresText() {
        if (vms != null) return vms.figuresText(hostShrinker, server);
        try {
            return server.loop().submit(() -> figures().text()).get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "error the backend did not answer: " + e + "\n";
        }
    }

    /** From any thread: logs the figures on the loop. */
    void logFigures(Logger log, String when) {
        if (vms != null) {
            Thread.ofVirtual().start(() -> log.info("figures{}: {}", when, figuresText().strip().replace('\n', ' ')));
            return;
        }
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
        if (memory != null) memory.close();
        if (hostShrinker != null) hostShrinker.close();
    }
}
