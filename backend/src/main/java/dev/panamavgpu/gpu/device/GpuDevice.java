package dev.panamavgpu.gpu.device;

import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.gpu.display.DamageRect;
import dev.panamavgpu.gpu.display.DamageSource;
import dev.panamavgpu.gpu.display.DisplayChannel;
import dev.panamavgpu.gpu.display.ScreenFanOut;
import dev.panamavgpu.gpu.display.ScreenWatcher;
import dev.panamavgpu.gpu.protocol.CtrlHdr;
import dev.panamavgpu.gpu.protocol.DecodeResult;
import dev.panamavgpu.gpu.protocol.DisplayInfoEntry;
import dev.panamavgpu.gpu.protocol.DisplayReply;
import dev.panamavgpu.gpu.protocol.DisplayRequest;
import dev.panamavgpu.gpu.protocol.GpuCommand;
import dev.panamavgpu.gpu.protocol.GpuCommandDecoder;
import dev.panamavgpu.gpu.protocol.GpuResponse;
import dev.panamavgpu.gpu.protocol.GpuResponseEncoder;
import dev.panamavgpu.gpu.protocol.VirtioGpu;
import dev.panamavgpu.gpu.protocol.VirtioGpuType;
import dev.panamavgpu.gpu.virgl.Renderer;
import dev.panamavgpu.memory.MemoryLimits;
import dev.panamavgpu.memory.MemoryManager;
import dev.panamavgpu.vhostuser.backend.DeviceContext;
import dev.panamavgpu.vhostuser.backend.VhostUserDevice;
import dev.panamavgpu.vhostuser.backend.Virtqueue;
import dev.panamavgpu.vhostuser.memory.GuestMemory;
import dev.panamavgpu.vhostuser.memory.GuestMemoryFault;
import dev.panamavgpu.vhostuser.message.Request;
import dev.panamavgpu.vhostuser.virtqueue.DescriptorChain;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * virtio-gpu (2D) as a vhost-user device: queue 0 is the control queue, queue 1 the cursor queue.
 * Each chain's request is copied out of guest memory, decoded in one place, executed, and answered
 * into the chain's writable part; the chain goes back to the guest at once. GET_DISPLAY_INFO and
 * GET_EDID are forwarded to QEMU and their chains held until the reply (or a timeout) while the
 * rest of the queue goes on. With a {@link Renderer} (--virgl) the device offers VIRGL and
 * CONTEXT_INIT, and {@link Gpu3d} takes the 3D commands and the 2D ones naming 3D resources; their
 * chains are held until the renderer thread's answer (and fence) comes back to the loop.
 */
public final class GpuDevice implements VhostUserDevice {
    private static final Logger log = LoggerFactory.getLogger(GpuDevice.class);
    public static final int CONTROL_QUEUE = 0, CURSOR_QUEUE = 1;
    /** Largest request read from a chain: ATTACH_BACKING with 16384 entries. */
    static final int MAX_REQUEST = 32 + 16 * 16384;
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final GpuLimits limits;
    private final MemoryManager memory;
    private final boolean ownsMemory;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment request = arena.allocate(MAX_REQUEST);
    private final MemorySegment response = arena.allocate(2048);
    /** A chain waiting for QEMU, with the answer it gets if the wait is cut short by a stop. */
    private record Held(int queue, CtrlHdr hdr, GpuResponse fallback) {}


    private final Map<DescriptorChain, Held> held = new IdentityHashMap<>();
    private final byte[] config = new byte[16];
    private DeviceContext context;
    private DisplayChannel display;
    private final ScreenWatcher watcher;
    private DamageSource source; // the device's pixels, as the display channel and the watcher read them
    private Gpu2d gpu;
    private final Renderer renderer; // null: 2D only
    private Gpu3d gpu3d;
    private List<DisplayInfoEntry> lastDisplayInfo;

    /**
     * A device charging its guest's memory to {@code memory}, which outlives it (the process keeps one
     * manager across connections, so its figures and page file persist); used only on the loop thread.
     */
    public GpuDevice(GpuLimits limits, MemoryManager memory) {
        this(limits, memory, ScreenWatcher.NONE);
    }

    /** As above, with a second display (remote viewers) that sees what QEMU's display sees. */
    public GpuDevice(GpuLimits limits, MemoryManager memory, ScreenWatcher watcher) {
        this(limits, memory, watcher, null);
    }

    /** As above, with 3D through {@code renderer} (null: 2D only). */
    public GpuDevice(GpuLimits limits, MemoryManager memory, ScreenWatcher watcher, Renderer renderer) {
        this.renderer = renderer;
        this.limits = limits;
        this.memory = memory;
        this.ownsMemory = false;
        this.watcher = watcher;
    }

    /** A device with its own memory manager, closed with it. */
    public GpuDevice(GpuLimits limits, MemoryLimits memoryLimits) {
        this.limits = limits;
        this.memory = new MemoryManager(memoryLimits);
        this.ownsMemory = true;
        this.renderer = null;
        this.watcher = ScreenWatcher.NONE;
    }

    public GpuDevice(GpuLimits limits) {
        this(limits, MemoryLimits.defaults());
    }

    public MemoryManager memory() { return memory; }

    /** The figures of this device; loop thread only. */
    public GpuFigures figures(long pressureEpisodes) {
        long queued = display == null ? 0 : display.queuedBytes();
        long damage = display == null ? 0 : display.damageBytes();
        return new GpuFigures(memory.figures(), gpu == null ? 0 : gpu.resourceCount(), queued,
                gpu == null ? 0 : gpu.displayQueueBound(), damage, display == null ? null : display.stats(), pressureEpisodes,
                gpu3d == null ? 0 : gpu3d.resourceCount(), gpu3d == null ? 0 : gpu3d.bytes(), gpu3d == null ? 0 : gpu3d.contextCount());
    }

    public Gpu2d gpu() { return gpu; }
    /** The 3D side, or null without --virgl (or before attach). Loop thread only. */
    Gpu3d gpu3d() { return gpu3d; }
    public DisplayChannel display() { return display; }

    @Override
    public long deviceFeatures() {
        // only what works: EDID (through QEMU) and RESOURCE_UUID; VIRGL and CONTEXT_INIT with a renderer; no BLOB
        long f = VirtioGpu.featureMask(VirtioGpu.F_EDID) | VirtioGpu.featureMask(VirtioGpu.F_RESOURCE_UUID);
        if (renderer != null) f |= VirtioGpu.featureMask(VirtioGpu.F_VIRGL) | VirtioGpu.featureMask(VirtioGpu.F_CONTEXT_INIT);
        return f;
    }

    @Override public int queueCount() { return 2; }
    @Override public int maxQueueSize(int queue) { return 1024; }

    @Override
    public boolean readConfig(int offset, MemorySegment dst) {
        // struct virtio_gpu_config {events_read, events_clear, num_scanouts, num_capsets}
        MemorySegment c = MemorySegment.ofArray(config);
        c.set(LE32, 8, limits.maxOutputs());
        c.set(LE32, 12, renderer == null ? 0 : renderer.capsets().size());
        if (offset < 0 || offset + dst.byteSize() > config.length) return false;
        MemorySegment.copy(c, offset, dst, 0, dst.byteSize());
        return true;
    }

    @Override
    public boolean writeConfig(int offset, MemorySegment src) {
        // only events_clear is writable: it clears bits of events_read
        if (offset != 4 || src.byteSize() != 4) return false;
        MemorySegment c = MemorySegment.ofArray(config);
        c.set(LE32, 0, c.get(LE32, 0) & ~src.get(LE32, 0));
        return true;
    }

    @Override
    public void attach(DeviceContext ctx) {
        this.context = ctx;
        // the channel reads pixels from the device and the device marks damage on the channel
        this.source = new DamageSource() {
            @Override public boolean render(int id, DamageRect r, MemorySegment out) { return gpu.render(id, r, out); }
            @Override public MemorySegment[] directRows(int id, DamageRect r) { return gpu.directRows(id, r); }
        };
        this.display = new DisplayChannel(ctx.loop(), source);
        this.gpu = new Gpu2d(limits, memory, watcher == ScreenWatcher.NONE ? display : new ScreenFanOut(display, watcher));
        watcher.attached(source);
        memory.onBeforeUnmap(display::forget);
        if (renderer != null) gpu3d = newGpu3d();
    }

    private Gpu3d newGpu3d() {
        DeviceContext ctx = context;
        Gpu3d g = new Gpu3d(renderer, task -> ctx.loop().execute(ctx.deviceScope(), task), memory, gpu, limits,
                () -> (ctx.ackedFeatures() & VirtioGpu.featureMask(VirtioGpu.F_CONTEXT_INIT)) != 0);
        g.memoryChanged(ctx.memory()); // after a reset the memory table stays
        return g;
    }

    /** virglrenderer keeps pointers into guest memory: regions go once the renderer finished what was queued before. */
    @Override
    public void retire(Runnable unmap) {
        if (gpu3d != null) gpu3d.retire(unmap);
        else unmap.run();
    }

    @Override
    public void memoryChanged(GuestMemory memory) {
        if (gpu != null) gpu.memoryChanged(memory);
        if (gpu3d != null) gpu3d.memoryChanged(memory);
    }

    @Override
    public void process(Virtqueue queue) {
        DescriptorChain chain;
        while ((chain = queue.pop()) != null) handle(queue, chain);
    }

    private void handle(Virtqueue queue, DescriptorChain chain) {
        long n = Math.min(chain.readableLength(), MAX_REQUEST);
        MemorySegment req = request.asSlice(0, n);
        DecodeResult decoded;
        try {
            chain.read(0, req);
        } catch (GuestMemoryFault e) {
            queue.complete(chain, 0);
            guestMemoryFault("reading a request", e);
            return;
        }
        decoded = GpuCommandDecoder.decode(req);
        switch (decoded) {
            case DecodeResult.Rejected r -> respond(queue, chain, r.response(), r.header());
            case DecodeResult.Decoded d -> execute(queue, chain, d.header(), d.command());
        }
    }

    private void execute(Virtqueue queue, DescriptorChain chain, CtrlHdr hdr, GpuCommand cmd) {
        switch (cmd) {
            case GpuCommand.GetDisplayInfo x -> getDisplayInfo(queue, chain, hdr);
            case GpuCommand.GetEdid x -> getEdid(queue, chain, hdr, x.scanoutId());
            default -> {
                if (gpu3d != null && gpu3d.handles(cmd)) {
                    execute3d(queue, chain, hdr, cmd);
                    return;
                }
                GpuResponse r;
                try {
                    r = gpu.execute(cmd);
                } catch (GuestMemoryFault e) {
                    respond(queue, chain, new GpuResponse.Err(VirtioGpuType.RESP_ERR_UNSPEC), hdr);
                    guestMemoryFault(cmd.getClass().getSimpleName(), e);
                    return;
                } catch (RuntimeException | Error e) {
                    // A bug: this request still gets its answer, then the fault policy (EventLoop)
                    // resets the device, whose state may be half-changed.
                    respond(queue, chain, new GpuResponse.Err(VirtioGpuType.RESP_ERR_UNSPEC), hdr);
                    queue.flush();
                    throw new DeviceFault("executing " + cmd, e);
                }
                if (gpu3d != null && hdr.isFenced()) {
                    execute3dAnswer(queue, chain, hdr, reply -> gpu3d.fenced(hdr, r, reply));
                    return;
                }
                respond(queue, chain, r, hdr);
            }
        }
    }

    private void execute3d(Virtqueue queue, DescriptorChain chain, CtrlHdr hdr, GpuCommand cmd) {
        execute3dAnswer(queue, chain, hdr, reply -> gpu3d.execute(hdr, cmd, reply));
    }

    /**
     * Holds the chain while {@code work} produces its answer, now or later (renderer thread, fence);
     * an answer given during {@code work} is sent without an extra flush (the queue's own comes after).
     */
    private void execute3dAnswer(Virtqueue queue, DescriptorChain chain, CtrlHdr hdr,
                                 java.util.function.Consumer<java.util.function.Consumer<GpuResponse>> work) {
        boolean[] inline = {true};
        hold(queue, chain, hdr, new GpuResponse.Err(VirtioGpuType.RESP_ERR_UNSPEC));
        work.accept(new Gpu3d.Answer() {
            @Override public void accept(GpuResponse r) {
                if (held.remove(chain) == null) return; // answered by a stop or dropped by a reset
                respond(queue, chain, r, hdr);
                if (!inline[0]) queue.flush();
            }

            @Override public void known(GpuResponse r) {
                // waiting for its fence only: a stop sends this answer, not an error
                if (held.containsKey(chain)) held.put(chain, new Held(queue.index(), hdr, r));
            }
        });
        inline[0] = false;
    }

    private void getDisplayInfo(Virtqueue queue, DescriptorChain chain, CtrlHdr hdr) {
        hold(queue, chain, hdr, new GpuResponse.OkDisplayInfo(fallbackDisplayInfo()));
        display.request(DisplayRequest.GET_DISPLAY_INFO, reply -> {
            List<DisplayInfoEntry> info;
            if (reply instanceof DisplayReply.DisplayInfo d) {
                info = d.displays();
                lastDisplayInfo = info;
            } else {
                info = fallbackDisplayInfo();
            }
            completeHeld(queue, chain, new GpuResponse.OkDisplayInfo(info), hdr);
        });
    }

    private void getEdid(Virtqueue queue, DescriptorChain chain, CtrlHdr hdr, long scanoutId) {
        if (scanoutId >= limits.maxOutputs()) {
            respond(queue, chain, new GpuResponse.Err(VirtioGpuType.RESP_ERR_INVALID_SCANOUT_ID), hdr);
            return;
        }
        if (!display.isConnected() || !display.edidSupported()) {
            respond(queue, chain, new GpuResponse.Err(VirtioGpuType.RESP_ERR_UNSPEC), hdr);
            return;
        }
        hold(queue, chain, hdr, new GpuResponse.Err(VirtioGpuType.RESP_ERR_UNSPEC));
        display.requestEdid(scanoutId, reply -> {
            GpuResponse r = reply instanceof DisplayReply.Edid e ? new GpuResponse.OkEdid(e.edid())
                    : new GpuResponse.Err(VirtioGpuType.RESP_ERR_INVALID_SCANOUT_ID); // QEMU did not answer: no such output
            completeHeld(queue, chain, r, hdr);
        });
    }

    private List<DisplayInfoEntry> fallbackDisplayInfo() {
        if (lastDisplayInfo != null) return lastDisplayInfo;
        List<DisplayInfoEntry> l = new ArrayList<>();
        l.add(DisplayInfoEntry.enabled(limits.defaultWidth(), limits.defaultHeight()));
        return l;
    }

    private void hold(Virtqueue queue, DescriptorChain chain, CtrlHdr hdr, GpuResponse fallback) {
        held.put(chain, new Held(queue.index(), hdr, fallback));
    }

    private void completeHeld(Virtqueue queue, DescriptorChain chain, GpuResponse r, CtrlHdr hdr) {
        if (held.remove(chain) == null) return; // already failed by a stop or reset
        respond(queue, chain, r, hdr);
        queue.flush();
    }

    private void respond(Virtqueue queue, DescriptorChain chain, GpuResponse r, CtrlHdr hdr) {
        long written = 0;
        try {
            OptionalInt n = GpuResponseEncoder.encode(r, hdr, response);
            if (n.isPresent() && chain.writableLength() >= n.getAsInt()) {
                written = chain.write(0, response.asSlice(0, n.getAsInt()));
            }
        } catch (GuestMemoryFault e) {
            queue.complete(chain, 0); // the chain still goes back, empty
            guestMemoryFault("writing a response", e);
            return;
        }
        queue.complete(chain, written);
    }

    /** The front-end's memory failed under a request: it got its answer; nothing more is served until a reset. */
    private void guestMemoryFault(String where, GuestMemoryFault e) {
        log.warn("guest memory fault while {}: {}; the device needs a reset", where, e.getMessage());
        context.needsReset("guest memory fault while " + where);
    }

    @Override
    public void stopping(Virtqueue queue) {
        // answer what waits for QEMU now, with what we know, so no chain is held across the stop
        for (DescriptorChain c : new ArrayList<>(held.keySet())) {
            Held h = held.get(c);
            if (h.queue() != queue.index()) continue;
            held.remove(c);
            respond(queue, c, h.fallback(), h.hdr());
        }
    }

    @Override
    public void reset() {
        held.clear();
        if (gpu3d != null) {
            gpu3d.close();
            gpu3d = newGpu3d();
        }
        if (gpu != null) gpu.reset();
        if (display != null) display.disconnect("device reset");
        // every scanout went; the watcher reads from the same device again once the guest sets one
        watcher.detached();
        if (source != null) watcher.attached(source);
        log.info("GPU reset: resources and scanouts dropped");
    }

    @Override
    public long deviceMessage(int request, MemorySegment payload, List<Fd> fds) {
        if (request == Request.GPU_SET_SOCKET && fds.size() == 1 && payload.byteSize() == 0) {
            display.attach(fds.get(0));
            gpu.republishScanouts();
            return 0;
        }
        log.warn("unhandled message {} with {} fds", Request.name(request), fds.size());
        fds.forEach(Fd::close);
        return 1;
    }

    @Override
    public void detach() {
        held.clear();
        if (gpu3d != null) gpu3d.close();
        if (gpu != null) gpu.reset();
        if (display != null) display.close();
        watcher.detached();
        memory.onBeforeUnmap(m -> {});
        if (ownsMemory) memory.close();
        if (arena.scope().isAlive()) arena.close();
    }
}
