package dev.panamavgpu.gpu.device;

import static dev.panamavgpu.gpu.protocol.VirtioGpuType.*;

import dev.panamavgpu.ffm.Virglrenderer;
import dev.panamavgpu.ffm.layout.MsgHdr;
import dev.panamavgpu.ffm.layout.VirglLayouts;
import dev.panamavgpu.gpu.protocol.Box3d;
import dev.panamavgpu.gpu.protocol.CtrlHdr;
import dev.panamavgpu.gpu.protocol.GpuCommand;
import dev.panamavgpu.gpu.protocol.GpuResponse;
import dev.panamavgpu.gpu.protocol.Rect;
import dev.panamavgpu.gpu.virgl.Renderer;
import dev.panamavgpu.memory.MemoryManager;
import dev.panamavgpu.memory.MemoryUnavailableException;
import dev.panamavgpu.vhostuser.memory.GuestMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 3D GPU (virgl): contexts, 3D resources and fences, on the loop thread. Every command is
 * checked here first (ids, boxes, sizes, budget: guest mistakes are answered without calling into
 * C); what passes becomes work for the {@link Renderer} thread, whose result comes back to the loop
 * and becomes the response. 2D commands that name a 3D resource come here too: backing, unref,
 * scanout and cursor. A 3D resource that is shown gets a host copy in {@link Gpu2d}, refreshed by
 * reading the resource back on SET_SCANOUT and RESOURCE_FLUSH: that copy feeds the display path
 * (QEMU's UPDATE messages, VNC) like any 2D resource.
 *
 * <p>After {@link #close} (device reset or disconnect) late results are dropped; the device answers
 * its held chains itself.
 */
final class Gpu3d {
    private static final Logger log = LoggerFactory.getLogger(Gpu3d.class);
    private static final GpuResponse OK = new GpuResponse.OkNoData();
    static final int MAX_CONTEXTS = 64;
    private static final int PIPE_BUFFER = Checks3d.PIPE_BUFFER;
    private static final int CAPSET_VIRGL2 = 2;

    private final Renderer renderer;
    private final Executor back;
    private final MemoryManager memoryManager;
    private final Gpu2d gpu2d;
    private final GpuLimits limits;
    private final java.util.function.BooleanSupplier contextInit;
    private final Map<Long, Integer> contexts = new HashMap<>(); // id -> capset
    private final Map<Long, Resource3d> resources = new HashMap<>();
    private final FenceQueue fences = new FenceQueue();
    private final SecureRandom random = new SecureRandom();
    private GuestMemory memory = GuestMemory.EMPTY;
    private long bytes;
    private boolean closed;
    private final Renderer.FenceSink fenceSink;

    /**
     * @param back        runs a task on the device's loop under its fault scope
     * @param contextInit whether the driver acked VIRTIO_GPU_F_CONTEXT_INIT (ring_idx fences)
     */
    Gpu3d(Renderer renderer, Executor back, MemoryManager memoryManager, Gpu2d gpu2d, GpuLimits limits,
          java.util.function.BooleanSupplier contextInit) {
        this.renderer = renderer;
        this.back = back;
        this.memoryManager = memoryManager;
        this.gpu2d = gpu2d;
        this.limits = limits;
        this.contextInit = contextInit;
        this.fenceSink = new Renderer.FenceSink() {
            @Override public void fence(long fenceId) { back.execute(() -> { if (!closed) fences.retire(FenceQueue.GLOBAL, fenceId); }); }
            @Override public void contextFence(long ctxId, int ringIdx, long fenceId) {
                back.execute(() -> { if (!closed) fences.retire(FenceQueue.ring(ctxId, ringIdx), fenceId); });
            }
        };
        renderer.fences(fenceSink);
    }

    int capsetCount() { return renderer.capsets().size(); }
    int resourceCount() { return resources.size(); }
    long bytes() { return bytes; }
    int contextCount() { return contexts.size(); }
    int fencesWaiting() { return fences.waiting(); }

    /** Whether this command is ours: a 3D command, or a 2D one naming a 3D resource. */
    boolean handles(GpuCommand c) {
        return switch (c) {
            case GpuCommand.GetCapsetInfo x -> true;
            case GpuCommand.GetCapset x -> true;
            case GpuCommand.CtxCreate x -> true;
            case GpuCommand.CtxDestroy x -> true;
            case GpuCommand.CtxResource x -> true;
            case GpuCommand.ResourceCreate3d x -> true;
            case GpuCommand.Transfer3d x -> true;
            case GpuCommand.Submit3d x -> true;
            case GpuCommand.ResourceUnref x -> resources.containsKey(x.resourceId());
            case GpuCommand.ResourceAttachBacking x -> resources.containsKey(x.resourceId());
            case GpuCommand.ResourceDetachBacking x -> resources.containsKey(x.resourceId());
            case GpuCommand.TransferToHost2d x -> resources.containsKey(x.resourceId());
            case GpuCommand.SetScanout x -> resources.containsKey(x.resourceId());
            case GpuCommand.ResourceFlush x -> resources.containsKey(x.resourceId());
            case GpuCommand.ResourceAssignUuid x -> resources.containsKey(x.resourceId());
            case GpuCommand.UpdateCursor x -> resources.containsKey(x.resourceId());
            case GpuCommand.ResourceCreate2d x -> resources.containsKey(x.resourceId()); // id taken by a 3D resource
            default -> false;
        };
    }

    /** Executes {@code c}; {@code reply} gets the response on the loop thread, now or later, after its fence if fenced. */
    void execute(CtrlHdr hdr, GpuCommand c, Consumer<GpuResponse> reply) {
        Consumer<GpuResponse> answer = r -> fenced(hdr, r, reply);
        switch (c) {
            case GpuCommand.GetCapsetInfo x -> answer.accept(capsetInfo(x.index()));
            case GpuCommand.GetCapset x -> answer.accept(capset(x.capsetId(), x.version()));
            case GpuCommand.CtxCreate x -> ctxCreate(x, answer);
            case GpuCommand.CtxDestroy x -> ctxDestroy(x.ctxId(), answer);
            case GpuCommand.CtxResource x -> ctxResource(x, answer);
            case GpuCommand.ResourceCreate3d x -> create(x, answer);
            case GpuCommand.Transfer3d x -> transfer(x, answer);
            case GpuCommand.Submit3d x -> submit(x, answer);
            case GpuCommand.ResourceUnref x -> answer.accept(unref(x.resourceId()));
            case GpuCommand.ResourceAttachBacking x -> attach(x, answer);
            case GpuCommand.ResourceDetachBacking x -> detach(x.resourceId(), answer);
            case GpuCommand.TransferToHost2d x -> transfer(new GpuCommand.Transfer3d(true, 0,
                    new Box3d(x.rect().x(), x.rect().y(), 0, x.rect().width(), x.rect().height(), 1),
                    x.offset(), x.resourceId(), 0, 0, 0), answer);
            case GpuCommand.SetScanout x -> setScanout(x, answer);
            case GpuCommand.ResourceFlush x -> flush(x, answer);
            case GpuCommand.ResourceAssignUuid x -> answer.accept(assignUuid(x.resourceId()));
            case GpuCommand.UpdateCursor x -> cursor(x, answer);
            case GpuCommand.ResourceCreate2d x -> answer.accept(err(RESP_ERR_INVALID_RESOURCE_ID));
            default -> throw new IllegalArgumentException("not a 3D command: " + c);
        }
    }

    /**
     * The answer to a request: at once, or, for a fenced request that succeeded, once virglrenderer
     * retires a fence created after everything the request caused (QEMU's virgl device does the same).
     */
    void fenced(CtrlHdr hdr, GpuResponse r, Consumer<GpuResponse> reply) {
        if (closed || !hdr.isFenced() || r instanceof GpuResponse.Err) {
            reply.accept(r);
            return;
        }
        boolean ring = hdr.hasRingIdx() && contextInit.getAsBoolean() && contexts.containsKey(hdr.ctxId());
        long key = ring ? FenceQueue.ring(hdr.ctxId(), hdr.ringIdx()) : FenceQueue.GLOBAL;
        long id = hdr.fenceId();
        if (reply instanceof Answer a) a.known(r);
        fences.add(key, id, () -> reply.accept(r));
        renderer.submit(() -> {
            int ret = ring ? Virglrenderer.contextCreateFence((int) hdr.ctxId(), Virglrenderer.FENCE_FLAG_MERGEABLE, hdr.ringIdx(), id)
                    : Virglrenderer.createFence((int) id, (int) hdr.ctxId());
            if (ret != 0) back.execute(() -> { if (!closed) fences.retire(key, id); }); // answered, not held forever
        });
    }

    /** A 2D command on the host copy: scanout, flush, cursor, unref read no guest memory. */
    private GpuResponse run2d(GpuCommand c) {
        try {
            return gpu2d.execute(c);
        } catch (dev.panamavgpu.vhostuser.memory.GuestMemoryFault e) {
            throw new IllegalStateException("a host-copy command touched guest memory: " + c, e);
        }
    }

    private static GpuResponse err(int code) { return new GpuResponse.Err(code); }

    /**
     * A reply that can also take the answer before it is due: a fenced request's answer is known
     * when its work is done, and a ring stop sends it then rather than an error.
     */
    interface Answer extends Consumer<GpuResponse> {
        void known(GpuResponse r);
    }

    /** Work on the renderer thread whose result becomes the answer on the loop (dropped after close). */
    private <T> void call(Supplier<T> work, Consumer<T> done) {
        renderer.run(work, back, t -> { if (!closed) done.accept(t); });
    }

    private static GpuResponse okOr(int ret, int code) { return ret == 0 ? OK : err(code); }

    // ---- cap sets --------------------------------------------------------------------------------

    private GpuResponse capsetInfo(long index) {
        List<Renderer.Capset> l = renderer.capsets();
        if (index >= l.size()) return err(RESP_ERR_INVALID_PARAMETER);
        Renderer.Capset c = l.get((int) index);
        return new GpuResponse.OkCapsetInfo(c.id(), c.maxVersion(), c.maxSize());
    }

    private GpuResponse capset(long id, long version) {
        for (Renderer.Capset c : renderer.capsets()) {
            if (c.id() != id) continue;
            if (version == 0 || version > c.maxVersion()) return err(RESP_ERR_INVALID_PARAMETER);
            return new GpuResponse.OkCapset(c.data((int) version));
        }
        return err(RESP_ERR_INVALID_PARAMETER);
    }

    // ---- contexts --------------------------------------------------------------------------------

    private void ctxCreate(GpuCommand.CtxCreate c, Consumer<GpuResponse> answer) {
        long id = c.ctxId();
        if (id == 0 || contexts.containsKey(id)) { answer.accept(err(RESP_ERR_INVALID_CONTEXT_ID)); return; }
        if ((c.contextInit() & ~0xFFL) != 0) { answer.accept(err(RESP_ERR_INVALID_PARAMETER)); return; }
        int capset = (int) (c.contextInit() & 0xFF);
        if (capset == 0) capset = CAPSET_VIRGL2;
        int cs = capset;
        if (renderer.capsets().stream().noneMatch(k -> k.id() == cs)) { answer.accept(err(RESP_ERR_INVALID_PARAMETER)); return; }
        if (contexts.size() >= MAX_CONTEXTS) { answer.accept(err(RESP_ERR_OUT_OF_MEMORY)); return; }
        contexts.put(id, capset);
        String name = c.debugName().isEmpty() ? "ctx" + id : c.debugName();
        call(() -> Virglrenderer.contextCreate((int) id, cs, name), ret -> {
            if (ret != 0) {
                contexts.remove(id);
                log.debug("context {} refused by virglrenderer: {}", id, ret);
            }
            answer.accept(okOr(ret, RESP_ERR_UNSPEC));
        });
    }

    private void ctxDestroy(long id, Consumer<GpuResponse> answer) {
        if (contexts.remove(id) == null) { answer.accept(err(RESP_ERR_INVALID_CONTEXT_ID)); return; }
        call(() -> { Virglrenderer.contextDestroy((int) id); return 0; }, ret -> {
            fences.retireContext(id); // requests fenced on its rings are answered, not held forever
            answer.accept(OK);
        });
    }

    private void ctxResource(GpuCommand.CtxResource c, Consumer<GpuResponse> answer) {
        if (!contexts.containsKey(c.ctxId())) { answer.accept(err(RESP_ERR_INVALID_CONTEXT_ID)); return; }
        if (!resources.containsKey(c.resourceId())) { answer.accept(err(RESP_ERR_INVALID_RESOURCE_ID)); return; }
        int ctx = (int) c.ctxId(), res = (int) c.resourceId();
        boolean attach = c.attach();
        call(() -> {
            if (attach) Virglrenderer.ctxAttachResource(ctx, res); else Virglrenderer.ctxDetachResource(ctx, res);
            return 0;
        }, ret -> answer.accept(OK));
    }

    // ---- resources -------------------------------------------------------------------------------

    private void create(GpuCommand.ResourceCreate3d c, Consumer<GpuResponse> answer) {
        long id = c.resourceId();
        GpuResponse refused = Checks3d.refuseCreate(c, resources.containsKey(id) || gpu2d.has(id), resources.size() + gpu2d.resourceCount(), limits);
        if (refused != null) { answer.accept(refused); return; }
        long cost = Checks3d.hostBytes(c);
        if (cost < 0) { answer.accept(err(RESP_ERR_OUT_OF_MEMORY)); return; }
        try {
            memoryManager.chargeTable(cost, "3D resource " + c.resourceId());
        } catch (MemoryUnavailableException e) {
            log.debug("3D resource refused: {}", e.getMessage());
            answer.accept(err(RESP_ERR_OUT_OF_MEMORY));
            return;
        }
        Resource3d r = new Resource3d(c, cost);
        resources.put(r.id(), r);
        bytes += cost;
        call(() -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment args = a.allocate(VirglLayouts.CREATE_ARGS);
                long[] v = {c.resourceId(), c.target(), c.format(), c.bind(), c.width(), c.height(), c.depth(),
                        c.arraySize(), c.lastLevel(), c.nrSamples(), c.flags()};
                for (int i = 0; i < v.length; i++) args.set(ValueLayout.JAVA_INT, 4L * i, (int) v[i]);
                return Virglrenderer.resourceCreate(args);
            }
        }, ret -> {
            if (ret != 0) {
                log.debug("3D resource {} refused by virglrenderer: {}", c.resourceId(), ret);
                if (resources.get(c.resourceId()) == r) forget(r);
            }
            answer.accept(okOr(ret, RESP_ERR_INVALID_PARAMETER));
        });
    }

    /** Drops a resource from the loop's books: its charge, its host copy, its table charge. */
    private void forget(Resource3d r) {
        resources.remove(r.id());
        r.gone = true;
        bytes -= r.charged;
        memoryManager.releaseTable(r.charged);
        if (r.backing != null) memoryManager.releaseTable(16L * r.backing.entryCount());
        if (r.staging != null) memoryManager.releaseTable(r.staging.byteSize());
        if (gpu2d.has(r.id())) run2d(new GpuCommand.ResourceUnref(r.id())); // disables its scanouts
    }

    private GpuResponse unref(long id) {
        Resource3d r = resources.get(id);
        forget(r);
        Arena iov = r.iovecs, staging = r.stagingArena;
        renderer.submit(() -> {
            Virglrenderer.resourceUnref((int) id); // also detaches it from every context
            if (iov != null) iov.close();
            if (staging != null) staging.close();
        });
        return OK;
    }

    private void attach(GpuCommand.ResourceAttachBacking c, Consumer<GpuResponse> answer) {
        Resource3d r = resources.get(c.resourceId());
        if (r.backing != null) { answer.accept(err(RESP_ERR_UNSPEC)); return; }
        if (c.entries().isEmpty() || c.entries().size() > limits.maxBackingEntries()) { answer.accept(err(RESP_ERR_INVALID_PARAMETER)); return; }
        Backing b;
        switch (Backing.of(c.entries(), memory)) {
            case Backing.Result.Usable u -> b = u.backing();
            case Backing.Result.Refused refused -> {
                log.debug("attach to 3D resource {} refused: {}", r.id(), refused.why());
                answer.accept(err(RESP_ERR_UNSPEC));
                return;
            }
        }
        try {
            memoryManager.chargeTable(16L * b.entryCount(), "backing of 3D resource " + r.id());
        } catch (MemoryUnavailableException e) {
            answer.accept(err(RESP_ERR_OUT_OF_MEMORY));
            return;
        }
        r.backing = b;
        MemorySegment[] parts = b.parts();
        Arena arena = Arena.ofShared();
        MemorySegment iov = iovecs(arena, parts);
        r.iovecs = arena;
        int id = (int) r.id();
        call(() -> Virglrenderer.attachIov(id, iov, parts.length), ret -> answer.accept(okOr(ret, RESP_ERR_UNSPEC)));
    }

    /** The iovec array virglrenderer keeps for a backing: the host mappings of its parts, in order. */
    private static MemorySegment iovecs(Arena arena, MemorySegment[] parts) {
        long size = MsgHdr.IOVEC.byteSize();
        MemorySegment iov = arena.allocate(Math.max(1, size * parts.length), 8);
        for (int i = 0; i < parts.length; i++) {
            iov.set(ValueLayout.ADDRESS, i * size + MsgHdr.IOV_BASE, parts[i]);
            iov.set(ValueLayout.JAVA_LONG, i * size + MsgHdr.IOV_LEN, parts[i].byteSize());
        }
        return iov;
    }

    private void detach(long id, Consumer<GpuResponse> answer) {
        Resource3d r = resources.get(id);
        if (r.backing == null) { answer.accept(err(RESP_ERR_UNSPEC)); return; }
        memoryManager.releaseTable(16L * r.backing.entryCount());
        r.backing = null;
        Arena iov = r.iovecs;
        r.iovecs = null;
        call(() -> {
            Virglrenderer.detachIov((int) id);
            iov.close(); // virglrenderer no longer holds the array
            return 0;
        }, ret -> answer.accept(OK));
    }

    /** The memory table changed: backings are resolved again and handed to virglrenderer anew. */
    void memoryChanged(GuestMemory m) {
        memory = m;
        for (Resource3d r : resources.values()) {
            if (r.backing == null) continue;
            r.backing.resolve(m);
            // virglrenderer keeps the old iovecs: give it the new mappings (or none, if they went)
            Arena old = r.iovecs;
            MemorySegment[] parts = r.backing.parts();
            Arena arena = Arena.ofShared();
            MemorySegment iov = iovecs(arena, parts);
            r.iovecs = arena;
            int id = (int) r.id();
            renderer.submit(() -> {
                Virglrenderer.detachIov(id);
                if (old != null) old.close();
                if (parts.length > 0) Virglrenderer.attachIov(id, iov, parts.length);
            });
        }
    }

    /**
     * Unmaps guest regions after every renderer task queued so far (transfers read and write guest
     * memory through the iovecs virglrenderer holds; a table change re-attaches them first, see
     * {@link #memoryChanged}). Runs on the renderer thread; if the renderer is stopping the process
     * is ending and the regions go with it.
     */
    void retire(Runnable unmap) {
        renderer.submit(unmap);
    }

    // ---- transfers and submits -------------------------------------------------------------------

    private void transfer(GpuCommand.Transfer3d t, Consumer<GpuResponse> answer) {
        Resource3d r = resources.get(t.resourceId());
        GpuResponse refused = Checks3d.refuseTransfer(t, r, t.ctxId() == 0 || contexts.containsKey(t.ctxId()));
        if (refused != null) { answer.accept(refused); return; }
        Box3d b = t.box();
        call(() -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment box = box(a, b.x(), b.y(), b.z(), b.w(), b.h(), b.d());
                return t.toHost()
                        ? Virglrenderer.transferWrite((int) t.resourceId(), (int) t.ctxId(), (int) t.level(), (int) t.stride(),
                                (int) t.layerStride(), box, t.offset(), MemorySegment.NULL, 0)
                        : Virglrenderer.transferRead((int) t.resourceId(), (int) t.ctxId(), (int) t.level(), (int) t.stride(),
                                (int) t.layerStride(), box, t.offset(), MemorySegment.NULL, 0);
            }
        }, ret -> answer.accept(okOr(ret, RESP_ERR_INVALID_PARAMETER)));
    }

    private static MemorySegment box(Arena a, long x, long y, long z, long w, long h, long d) {
        MemorySegment box = a.allocate(VirglLayouts.BOX);
        box.set(ValueLayout.JAVA_INT, VirglLayouts.BOX_X, (int) x);
        box.set(ValueLayout.JAVA_INT, VirglLayouts.BOX_Y, (int) y);
        box.set(ValueLayout.JAVA_INT, VirglLayouts.BOX_Z, (int) z);
        box.set(ValueLayout.JAVA_INT, VirglLayouts.BOX_W, (int) w);
        box.set(ValueLayout.JAVA_INT, VirglLayouts.BOX_H, (int) h);
        box.set(ValueLayout.JAVA_INT, VirglLayouts.BOX_D, (int) d);
        return box;
    }

    private void submit(GpuCommand.Submit3d s, Consumer<GpuResponse> answer) {
        if (!contexts.containsKey(s.ctxId())) { answer.accept(err(RESP_ERR_INVALID_CONTEXT_ID)); return; }
        int dwords = s.commands().length / 4;
        if (dwords == 0) { answer.accept(OK); return; }
        int ctx = (int) s.ctxId();
        byte[] cmds = s.commands();
        call(() -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = a.allocate(4L * dwords, 4);
                MemorySegment.copy(MemorySegment.ofArray(cmds), 0, buf, 0, 4L * dwords);
                return Virglrenderer.submit(buf, ctx, dwords);
            }
        }, ret -> {
            if (ret != 0) log.debug("virgl command stream of context {} refused: {}", ctx, ret);
            answer.accept(okOr(ret, RESP_ERR_INVALID_PARAMETER));
        });
    }

    // ---- scanout and cursor: read back into the host copy ----------------------------------------

    /** The host copy exists (made on first use), sized and formatted like the resource, level 0. */
    private GpuResponse ensureHostCopy(Resource3d r) {
        GpuCommand.ResourceCreate3d d = r.desc;
        if (d.target() == PIPE_BUFFER) return err(RESP_ERR_INVALID_PARAMETER);
        GpuResponse made = gpu2d.createHostCopy(r.id(), (int) d.format(), d.width(), d.height());
        if (made instanceof GpuResponse.Err) return made;
        if (r.staging == null) {
            long size = d.width() * d.height() * 4; // < 2^30: dimensions are at most 16384
            try {
                memoryManager.chargeTable(size, "readback buffer of 3D resource " + r.id());
            } catch (MemoryUnavailableException e) {
                return err(RESP_ERR_OUT_OF_MEMORY);
            }
            r.stagingArena = Arena.ofShared();
            r.staging = r.stagingArena.allocate(size, 64);
        }
        return OK;
    }

    /**
     * Reads {@code rect} of the resource back into its staging buffer (renderer thread), then into
     * the host copy (loop), then runs {@code then}. A resource unreferenced meanwhile is skipped: its
     * staging buffer may be gone.
     */
    private void readBack(Resource3d r, Rect rect, Runnable then) {
        long stride = r.desc.width() * 4;
        MemorySegment staging = r.staging;
        int id = (int) r.id();
        call(() -> {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment box = box(a, rect.x(), rect.y(), 0, rect.width(), rect.height(), 1);
                MemorySegment iov = a.allocate(MsgHdr.IOVEC);
                iov.set(ValueLayout.ADDRESS, MsgHdr.IOV_BASE, staging);
                iov.set(ValueLayout.JAVA_LONG, MsgHdr.IOV_LEN, staging.byteSize());
                return Virglrenderer.transferRead(id, 0, 0, (int) stride, 0, box, rect.y() * stride + rect.x() * 4, iov, 1);
            }
        }, ret -> {
            if (r.gone) return;
            if (ret != 0) log.debug("readback of 3D resource {} failed: {}", id, ret);
            else gpu2d.fillCopy(r.id(), rect, staging, stride);
            then.run();
        });
    }

    private void setScanout(GpuCommand.SetScanout c, Consumer<GpuResponse> answer) {
        Resource3d r = resources.get(c.resourceId());
        GpuResponse made = ensureHostCopy(r);
        if (made instanceof GpuResponse.Err) { answer.accept(made); return; }
        // the copy is filled first: SET_SCANOUT sends the whole picture at once
        readBack(r, new Rect(0, 0, r.desc.width(), r.desc.height()), () -> answer.accept(run2d(c)));
    }

    private void flush(GpuCommand.ResourceFlush c, Consumer<GpuResponse> answer) {
        Resource3d r = resources.get(c.resourceId());
        Rect rect = c.rect();
        if (rect.x() + rect.width() > r.desc.width() || rect.y() + rect.height() > r.desc.height()) {
            answer.accept(err(RESP_ERR_INVALID_PARAMETER));
            return;
        }
        if (!gpu2d.shown(r.id()) || rect.width() == 0 || rect.height() == 0) { answer.accept(OK); return; }
        readBack(r, rect, () -> answer.accept(run2d(c)));
    }

    private void cursor(GpuCommand.UpdateCursor c, Consumer<GpuResponse> answer) {
        Resource3d r = resources.get(c.resourceId());
        if (r.desc.width() != 64 || r.desc.height() != 64) { answer.accept(err(RESP_ERR_INVALID_PARAMETER)); return; }
        GpuResponse made = ensureHostCopy(r);
        if (made instanceof GpuResponse.Err) { answer.accept(made); return; }
        readBack(r, new Rect(0, 0, 64, 64), () -> {
            answer.accept(run2d(c));
        });
    }

    private GpuResponse assignUuid(long id) {
        Resource3d r = resources.get(id);
        if (r.uuid == null) {
            r.uuid = new byte[16];
            random.nextBytes(r.uuid);
            r.uuid[6] = (byte) ((r.uuid[6] & 0x0f) | 0x40);
            r.uuid[8] = (byte) ((r.uuid[8] & 0x3f) | 0x80);
        }
        return new GpuResponse.OkResourceUuid(r.uuid);
    }

    // ---- reset -----------------------------------------------------------------------------------

    /**
     * Device reset or disconnect: every context and 3D resource goes, in virglrenderer too; waiting
     * fences are forgotten (the device answers its held chains). Late results of this Gpu3d are dropped.
     */
    void close() {
        if (closed) return;
        closed = true;
        renderer.stopFences(fenceSink);
        List<Long> ctxs = new ArrayList<>(contexts.keySet());
        List<Resource3d> res = new ArrayList<>(resources.values());
        for (Resource3d r : res) forget(r);
        contexts.clear();
        fences.clear();
        renderer.submit(() -> {
            for (long c : ctxs) Virglrenderer.contextDestroy((int) c);
            for (Resource3d r : res) {
                Virglrenderer.resourceUnref((int) r.id());
                if (r.iovecs != null) r.iovecs.close();
                if (r.stagingArena != null) r.stagingArena.close();
            }
        });
        if (!res.isEmpty() || !ctxs.isEmpty()) log.info("3D state dropped: {} contexts, {} resources", ctxs.size(), res.size());
    }
}
