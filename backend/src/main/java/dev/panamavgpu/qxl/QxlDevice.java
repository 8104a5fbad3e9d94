package dev.panamavgpu.qxl;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.gpu.display.ScreenWatcher;
import dev.panamavgpu.ivshmem.IvshmemServer;
import dev.panamavgpu.ivshmem.PeerEvents;
import dev.panamavgpu.qxl.QxlCommand.Draw;
import dev.panamavgpu.vhostuser.loop.EventLoop;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A QXL device on an ivshmem region, the host peer of an {@link IvshmemServer}. Doorbell vector 0
 * (kick) makes it consume the command and cursor rings; vector 1 runs the request in the IO mailbox
 * and completes it with io_done_seq, QXL_INTERRUPT_IO_CMD and a signal on the guest's vector 1.
 * Nothing here blocks: every IO is asynchronous for the guest by construction.
 *
 * <p>Memory discipline: surface-create commands are released as soon as they are processed (the
 * host keeps its own copy of the pixels); drawables wait in a queue bounded by the guest bytes they
 * pin and are released as they are drawn; the release ring is published after every burst and at
 * the end of every IO. Guest faults ({@link GuestBug}) raise QXL_INTERRUPT_ERROR and stop the
 * device until RESET.
 *
 * <p>Threads: everything runs on the server's loop thread; other threads use {@link #stats()} and
 * {@link #snapshotPrimary()}, which hop onto it.
 */
public final class QxlDevice implements PeerEvents, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(QxlDevice.class);
    private static final int MAX_DRAIN = 4096;
    private static final long MAX_IMAGE_BYTES = 64L << 20; // ring items one IO may consume while the guest keeps producing

    /** One surface: the host copy and where its pixels live in guest memory (-1: nowhere). */
    private record Surface(int id, HostSurface host, long guestOffset, int guestStride) {}

    /** A frame of the primary surface read out for a user. */
    public record Snapshot(int width, int height, byte[] xrgb) {}

    private final IvshmemServer server;
    private final EventLoop loop;
    private final MemorySegment region;
    private final QxlConfig config;
    private final MemSlots slots;
    private final QxlDecoder decoder;
    private final CommandRing cmdRing, cursorRing;
    private final ReleaseRing releaseRing;
    private final Map<Integer, Surface> surfaces = new HashMap<>();
    private final ArrayDeque<Draw> pending = new ArrayDeque<>();
    private long pendingBytes;
    private int generation;
    private int lastIoSeq;
    private GuestBug.Code bug = GuestBug.Code.NONE;
    private boolean kickScheduled;
    private EventLoop.Timer idleRender;
    private long commandsProcessed, skipped, dropped, surfaceRefusals, oomCount, surfaceBytes;
    private boolean cursorVisible;
    private int cursorX, cursorY;
    private QxlCommand.CursorShape cursorShape;
    private final PrimaryWatch viewers = new PrimaryWatch(); // remote viewers of the primary surface

    public QxlDevice(IvshmemServer server, QxlConfig config) {
        this.server = server;
        this.loop = server.loop();
        this.region = server.region().segment();
        this.config = config;
        this.slots = new MemSlots(QxivLayout.GUEST_OFFSET, region.byteSize());
        // one image never needs more than the guest area; 64 MiB caps the scratch copy of a chunked one
        this.decoder = new QxlDecoder(region, slots, Math.min(region.byteSize() - QxivLayout.GUEST_OFFSET, MAX_IMAGE_BYTES));
        this.cmdRing = new CommandRing(region, QxivLayout.RAM_OFFSET + QxlRam.CMD_RING, QxlRing.CMD_RING_SIZE);
        this.cursorRing = new CommandRing(region, QxivLayout.RAM_OFFSET + QxlRam.CURSOR_RING, QxlRing.CURSOR_RING_SIZE);
        this.releaseRing = new ReleaseRing(region, QxivLayout.RAM_OFFSET + QxlRam.RELEASE_RING);
        initTransport();
        hardReset();
    }

    // ---- entry points (loop thread) ----

    @Override
    public void onDoorbell(int vector) {
        guarded(() -> {
            if (vector == QxivLayout.VEC_KICK) processRings();
            else if (vector == QxivLayout.VEC_IO) handleIo();
        });
    }

    /** Runs a step; a guest fault stops the device, and so does a host fault rather than killing the loop's watch. */
    private void guarded(Step step) {
        try {
            step.run();
        } catch (GuestBug b) {
            stop(b.code, b.getMessage());
        } catch (RuntimeException | ErrnoException | Error e) {
            // contained like a guest error, so the loop keeps its watch on our doorbells
            onHostFault("a doorbell", e);
            return;
        }
        publishStats();
    }

    /** The fault policy for the QXL device: stopped (the guest sees its bug code) until RESET. */
    @Override
    public void onHostFault(String where, Throwable fault) {
        log.error("qxl: host fault in {}, device stopped until RESET", where, fault);
        try {
            stop(GuestBug.Code.HOST_FAULT, "host fault: " + fault);
            publishStats();
        } catch (RuntimeException | Error again) {
            // the shared region itself failed: nothing more can be told to the guest
            log.error("qxl: cannot report the fault to the guest", again);
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws GuestBug, ErrnoException;
    }

    // ---- rings ----

    private void processRings() throws GuestBug, ErrnoException {
        if (bug != GuestBug.Code.NONE) return;
        int budget = config.burst();
        boolean more = true;
        while (budget > 0 && more) {
            more = false;
            CommandRing.Item it = cursorRing.pop();
            if (it != null) {
                more = true;
                budget--;
                if (it.notifyProducer()) raise(QxlRam.INT_CURSOR);
                execute(decoder.decode(it.data(), it.type(), true));
            }
            it = cmdRing.pop();
            if (it != null) {
                more = true;
                budget--;
                if (it.notifyProducer()) raise(QxlRam.INT_DISPLAY);
                execute(decoder.decode(it.data(), it.type(), false));
            }
        }
        if (more && !kickScheduled) {
            // yield the loop (other peers, the control socket), then go on with the burst
            kickScheduled = true;
            loop.execute(() -> {
                kickScheduled = false;
                guarded(this::processRings);
            });
        }
        publishReleases();
        armIdleRender();
    }

    /** Consumes both rings to empty (bounded) for IOs that must see every command pushed before them. */
    private void drainRings() throws GuestBug, ErrnoException {
        for (int n = 0; n < MAX_DRAIN; n++) {
            CommandRing.Item c = cursorRing.pop();
            if (c != null) {
                if (c.notifyProducer()) raise(QxlRam.INT_CURSOR);
                execute(decoder.decode(c.data(), c.type(), true));
            }
            CommandRing.Item d = cmdRing.pop();
            if (d != null) {
                if (d.notifyProducer()) raise(QxlRam.INT_DISPLAY);
                execute(decoder.decode(d.data(), d.type(), false));
            }
            if (c == null && d == null) return;
        }
    }

    private void execute(QxlCommand cmd) throws GuestBug, ErrnoException {
        commandsProcessed++;
        switch (cmd) {
            case QxlCommand.SurfaceCreate c -> {
                createSurface(c.id(), c.format(), c.width(), c.height(), c.stride(), c.dataOffset(), c.keepData());
                releaseRing.release(c.release()); // copied: nothing of the command is kept
            }
            case QxlCommand.SurfaceDestroy d -> {
                renderPending(0);
                destroySurface(d.id());
                releaseRing.release(d.release());
            }
            case Draw d -> {
                pending.add(d);
                pendingBytes += d.release().bytes();
                renderPending(config.pendingLimitBytes());
            }
            case QxlCommand.CursorSet s -> {
                cursorShape = s.shape();
                cursorX = s.x();
                cursorY = s.y();
                cursorVisible = s.visible();
                releaseRing.release(s.release()); // the shape was copied
            }
            case QxlCommand.CursorMove m -> {
                cursorX = m.x();
                cursorY = m.y();
                cursorVisible = true;
                releaseRing.release(m.release());
            }
            case QxlCommand.CursorHide h -> {
                cursorVisible = false;
                releaseRing.release(h.release());
            }
            case QxlCommand.Skipped s -> {
                skipped++;
                log.debug("qxl: skipped {}", s.what());
                releaseRing.release(s.release());
            }
        }
        if (releaseRing.wantsPush()) publishReleases();
    }

    // ---- drawing ----

    /** Draws the oldest pending drawables until they pin at most {@code keepBytes}, releasing each. */
    private void renderPending(long keepBytes) {
        while (pendingBytes > keepBytes && !pending.isEmpty()) {
            Draw d = pending.poll();
            pendingBytes -= d.release().bytes();
            if (!draw(d)) dropped++;
            releaseRing.release(d.release());
        }
    }

    private boolean draw(Draw d) {
        Surface s = surfaces.get(d.surfaceId());
        if (s == null) return false; // never created, or refused by the budget
        HostSurface dst = s.host();
        switch (d) {
            case QxlCommand.Fill f -> Renderer.fill(dst, f.bbox(), f.clip(), f.color());
            case QxlCommand.CopyBitmap c -> {
                QxlCommand.Bitmap b = c.bitmap();
                long bytes = b.stride() * b.height();
                MemorySegment src = b.spans().size() == 1
                        ? region.asSlice(b.spans().get(0).offset(), bytes)
                        : MemorySegment.ofArray(decoder.gather(b.spans(), bytes));
                Renderer.copy(dst, c.bbox(), c.clip(), src, b.stride(), !b.topDown(), b.width(), b.height(),
                        c.srcArea().left(), c.srcArea().top());
            }
            case QxlCommand.CopySurface c -> {
                Surface from = surfaces.get(c.srcSurface());
                if (from == null) return false;
                copyFromSurface(dst, c, from.host(), c.srcArea().left(), c.srcArea().top());
            }
            case QxlCommand.CopyBits c -> copyFromSurface(dst, c, dst, c.srcX(), c.srcY());
        }
        if (d.surfaceId() == 0) viewers.drawn(d, dst); // they see it at their next update
        return true;
    }

    /**
     * A copy whose source is a host surface. When it is the destination itself (COPY_BITS), the source
     * area alone is snapshotted first, so overlapping rows and clip rects read the old pixels.
     */
    private static void copyFromSurface(HostSurface dst, Draw d, HostSurface from, int srcX, int srcY) {
        if (from != dst) {
            Renderer.copy(dst, d.bbox(), d.clip(), from.pixels(), from.stride, false, from.width, from.height, srcX, srcY);
            return;
        }
        QxlRect area = new QxlRect(srcY, srcX, (int) Math.min(Integer.MAX_VALUE, (long) srcY + d.bbox().height()),
                (int) Math.min(Integer.MAX_VALUE, (long) srcX + d.bbox().width())).intersect(from.bounds());
        if (area.isEmpty()) return;
        try (Arena scratch = Arena.ofConfined()) {
            long rowBytes = 4L * area.width();
            MemorySegment tmp = scratch.allocate(rowBytes * area.height());
            for (int y = 0; y < area.height(); y++) {
                MemorySegment.copy(from.pixels(), (area.top() + y) * from.stride + area.left() * 4L, tmp, y * rowBytes, rowBytes);
            }
            Renderer.copy(dst, d.bbox(), d.clip(), tmp, rowBytes, false, area.width(), area.height(),
                    (int) ((long) srcX - area.left()), (int) ((long) srcY - area.top()));
        }
    }

    private void armIdleRender() {
        if (pending.isEmpty() || idleRender != null) return;
        idleRender = loop.schedule(config.idleRenderMillis(), () -> {
            idleRender = null;
            guarded(() -> {
                if (bug != GuestBug.Code.NONE) return;
                renderPending(0);
                publishReleases();
            });
        });
    }

    // ---- surfaces ----

    private void createSurface(int id, int format, int width, int height, int stride, long dataOffset, boolean keep)
            throws GuestBug, ErrnoException {
        if (id != 0 && Integer.compareUnsigned(id, config.nSurfaces()) >= 0) {
            throw new GuestBug(GuestBug.Code.BAD_SURFACE, "surface id " + Integer.toUnsignedString(id) + " >= n_surfaces");
        }
        if (surfaces.containsKey(id)) throw new GuestBug(GuestBug.Code.BAD_SURFACE, "surface " + id + " exists");
        if (id != 0 && surfaces.size() >= config.maxSurfaces()) {
            surfaceRefusals++;
            return;
        }
        HostSurface host = HostSurface.allocate(width, height, config.memory(), "qxl surface " + id);
        if (host == null) {
            surfaceRefusals++;
            log.debug("qxl: surface {} ({}x{}) refused by the memory budget", id, width, height);
            return;
        }
        if (keep && dataOffset >= 0) Renderer.readIn(host, region.asSlice(dataOffset, Math.abs((long) stride) * height), stride);
        surfaces.put(id, new Surface(id, host, dataOffset, stride));
        surfaceBytes += host.bytes;
        if (id == 0) viewers.shown(width, height); // they resize and fetch it whole
    }

    /** Writes the surface back to guest memory (the guest's view after destroy, as with spice), then frees it. */
    private void destroySurface(int id) {
        Surface s = surfaces.remove(id);
        if (s == null) return;
        if (id == 0) viewers.gone();
        writeBack(s, s.host().bounds());
        surfaceBytes -= s.host().bytes;
        s.host().close();
    }

    private void writeBack(Surface s, QxlRect area) {
        if (s.guestOffset() < 0) return;
        long len = Math.abs((long) s.guestStride()) * s.host().height;
        Renderer.writeBack(s.host(), area, region.asSlice(s.guestOffset(), len), s.guestStride());
    }

    private void destroyAll() {
        for (Integer id : List.copyOf(surfaces.keySet())) destroySurface(id);
    }

    // ---- IO mailbox ----

    private void handleIo() throws GuestBug, ErrnoException {
        long t = QxivLayout.TRANSPORT_OFFSET;
        int seq = QxlWire.getAcquire(region, t + QxivLayout.T_IO_SEQ);
        if (seq == lastIoSeq) return; // a doorbell without a new request
        lastIoSeq = seq;
        int port = region.get(QxlWire.LE32, t + QxivLayout.T_IO_PORT);
        int val = region.get(QxlWire.LE32, t + QxivLayout.T_IO_VAL);
        int result;
        if (bug != GuestBug.Code.NONE && port != QxlIo.RESET) {
            result = QxivLayout.IO_STOPPED; // QEMU ignores every port but RESET after a guest bug
        } else {
            try {
                result = io(port, val);
                publishReleases(); // whatever an IO drew or freed goes back before it completes
            } catch (GuestBug b) {
                stop(b.code, b.getMessage());
                result = QxivLayout.IO_STOPPED;
            }
        }
        complete(seq, port, result);
    }

    private int io(int port, int val) throws GuestBug, ErrnoException {
        long ram = QxivLayout.RAM_OFFSET;
        switch (port) {
            case QxlIo.NOTIFY_CMD, QxlIo.NOTIFY_CURSOR -> drainRings();
            case QxlIo.UPDATE_AREA, QxlIo.UPDATE_AREA_ASYNC -> {
                int id = region.get(QxlWire.LE32, ram + QxlRam.UPDATE_SURFACE);
                QxlRect area = QxlWire.readRect(region, ram + QxlRam.UPDATE_AREA);
                drainRings();
                renderPending(0);
                Surface s = surfaces.get(id);
                if (s == null) return QxivLayout.IO_INVALID;
                writeBack(s, area);
            }
            case QxlIo.UPDATE_IRQ -> {
                if ((pending() & mask()) != 0) signal(QxivLayout.VEC_IRQ);
            }
            case QxlIo.NOTIFY_OOM -> {
                // everything the host holds can be drawn and given back now
                oomCount++;
                drainRings();
                renderPending(0);
                publishReleases();
                raise(QxlRam.INT_DISPLAY);
            }
            case QxlIo.RESET -> hardReset();
            case QxlIo.LOG -> {
                MemorySegment buf = region.asSlice(ram + QxlRam.LOG_BUF, 4096);
                byte[] b = buf.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                int n = 0;
                while (n < b.length && b[n] != 0) n++;
                log.debug("qxl guest: {}", new String(b, 0, n, StandardCharsets.UTF_8).strip());
            }
            case QxlIo.MEMSLOT_ADD, QxlIo.MEMSLOT_ADD_ASYNC -> {
                long start = region.get(QxlWire.LE64, ram + QxlRam.MEM_SLOT);
                long end = region.get(QxlWire.LE64, ram + QxlRam.MEM_SLOT + 8);
                slots.add(val, start, end, generation);
            }
            case QxlIo.MEMSLOT_DEL -> slots.delete(val);
            case QxlIo.CREATE_PRIMARY, QxlIo.CREATE_PRIMARY_ASYNC -> {
                if (val != 0) throw new GuestBug(GuestBug.Code.BAD_IO, "CREATE_PRIMARY with value " + val);
                MemorySegment c = MemorySegment.ofArray(new byte[(int) QxlRam.SURFACE_CREATE.byteSize()])
                        .copyFrom(region.asSlice(ram + QxlRam.CREATE_SURFACE, QxlRam.SURFACE_CREATE.byteSize()));
                int w = QxlWire.i32(c, QxlRam.SC_WIDTH), h = QxlWire.i32(c, QxlRam.SC_HEIGHT);
                int stride = QxlWire.i32(c, QxlRam.SC_STRIDE), format = QxlWire.i32(c, QxlRam.SC_FORMAT);
                boolean keep = (QxlWire.i32(c, QxlRam.SC_FLAGS) & QxlSurfaceCmd.FLAG_KEEP_DATA) != 0;
                long mem = QxlWire.u64(c, QxlRam.SC_MEM);
                if (mem == 0) throw new GuestBug(GuestBug.Code.BAD_SURFACE, "primary without memory");
                long off = decoder.surfaceMemory(format, w, h, stride, mem);
                createSurface(0, format, w, h, stride, off, keep);
                if (!surfaces.containsKey(0)) return QxivLayout.IO_NO_MEMORY;
                log.info("qxl: primary {}x{} created", w, h);
            }
            case QxlIo.DESTROY_PRIMARY, QxlIo.DESTROY_PRIMARY_ASYNC -> {
                drainRings();
                renderPending(0);
                destroySurface(0);
                publishReleases();
            }
            case QxlIo.DESTROY_SURFACE_WAIT, QxlIo.DESTROY_SURFACE_ASYNC -> {
                if (Integer.compareUnsigned(val, config.nSurfaces()) >= 0) {
                    throw new GuestBug(GuestBug.Code.BAD_IO, "DESTROY_SURFACE_WAIT of id " + Integer.toUnsignedString(val));
                }
                drainRings();
                renderPending(0);
                destroySurface(val);
                publishReleases();
            }
            case QxlIo.DESTROY_ALL_SURFACES, QxlIo.DESTROY_ALL_SURFACES_ASYNC -> {
                drainRings();
                renderPending(0);
                destroyAll();
                cursorShape = null;
                cursorVisible = false;
                publishReleases();
            }
            case QxlIo.FLUSH_SURFACES_ASYNC -> {
                drainRings();
                renderPending(0);
                for (Surface s : surfaces.values()) writeBack(s, s.host().bounds());
                publishReleases();
            }
            case QxlIo.FLUSH_RELEASE -> publishReleases();
            case QxlIo.SET_MODE, QxlIo.DETACH_PRIMARY, QxlIo.ATTACH_PRIMARY, QxlIo.MONITORS_CONFIG_ASYNC -> {
                return QxivLayout.IO_INVALID;
            }
            default -> throw new GuestBug(GuestBug.Code.BAD_IO, "IO port " + Integer.toUnsignedString(port));
        }
        return QxivLayout.IO_OK;
    }

    private void complete(int seq, int port, int result) {
        long t = QxivLayout.TRANSPORT_OFFSET;
        region.set(QxlWire.LE32, t + QxivLayout.T_IO_RESULT, result);
        region.set(QxlWire.LE32, t + QxivLayout.T_IO_PORT_DONE, port);
        publishStats();
        QxlWire.setRelease(region, t + QxivLayout.T_IO_DONE_SEQ, seq);
        raise(QxlRam.INT_IO_CMD);
        signal(QxivLayout.VEC_IO_DONE);
    }

    // ---- interrupts ----

    private int pending() { return QxlWire.getVolatile(region, QxivLayout.RAM_OFFSET + QxlRam.INT_PENDING); }
    private int mask() { return QxlWire.getVolatile(region, QxivLayout.RAM_OFFSET + QxlRam.INT_MASK); }

    /** qxl_send_events: set the bits; signal only if one was not already pending and the mask lets it through. */
    private void raise(int bits) {
        int old = (int) QxlWire.ATOMIC32.getAndBitwiseOr(region, QxivLayout.RAM_OFFSET + QxlRam.INT_PENDING, bits);
        if ((old & bits) == bits) return;
        if (((old | bits) & mask()) != 0) signal(QxivLayout.VEC_IRQ);
    }

    private void signal(int vector) {
        long peer = QxlWire.u32(region, QxivLayout.TRANSPORT_OFFSET + QxivLayout.T_GUEST_PEER_ID);
        if (peer != 0 && peer <= 0xFFFF) server.signal((int) peer, vector);
    }

    private void publishReleases() {
        if (releaseRing.push()) raise(QxlRam.INT_DISPLAY);
    }

    private void stop(GuestBug.Code code, String why) {
        if (bug == GuestBug.Code.NONE) log.warn("qxl: guest error, stopped until RESET: {}", why);
        bug = code;
        region.set(QxlWire.LE32, QxivLayout.TRANSPORT_OFFSET + QxivLayout.T_BUG_CODE, code.ordinal());
        raise(QxlRam.INT_ERROR);
    }

    // ---- reset and layout ----

    private void initTransport() {
        FixedPages.writeTransportHeader(region, server.vectors(), config.pendingLimitBytes());
        lastIoSeq = QxlWire.getAcquire(region, QxivLayout.TRANSPORT_OFFSET + QxivLayout.T_IO_SEQ);
        QxlWire.setRelease(region, QxivLayout.TRANSPORT_OFFSET + QxivLayout.T_IO_DONE_SEQ, lastIoSeq);
    }

    /** RESET: everything the guest set up is forgotten (not released: the guest starts over). */
    private void hardReset() {
        pending.clear();
        pendingBytes = 0;
        destroyAllWithoutWriteBack();
        slots.reset();
        cursorShape = null;
        cursorVisible = false;
        generation = (generation + 1) & 0xff; // pointers made before the reset stop translating
        bug = GuestBug.Code.NONE;
        region.set(QxlWire.LE32, QxivLayout.TRANSPORT_OFFSET + QxivLayout.T_BUG_CODE, 0);
        FixedPages.writeRom(region, config.nSurfaces(), generation);
        long ram = QxivLayout.RAM_OFFSET;
        region.asSlice(ram, QxlRam.SIZE).fill((byte) 0);
        region.set(QxlWire.LE32, ram + QxlRam.MAGIC_OFF, QxlRam.MAGIC);
        cmdRing.reset();
        cursorRing.reset();
        releaseRing.reset();
        if (idleRender != null) {
            idleRender.cancel();
            idleRender = null;
        }
    }

    private void destroyAllWithoutWriteBack() {
        if (surfaces.containsKey(0)) viewers.gone();
        for (Surface s : surfaces.values()) s.host().close();
        surfaces.clear();
        surfaceBytes = 0;
    }

    private void publishStats() {
        FixedPages.writeFigures(region, new FixedPages.Figures(pending.size(), pendingBytes, surfaces.size(), surfaceBytes,
                releaseRing.listsPushed(), oomCount, commandsProcessed));
    }

    // ---- other threads ----

    private <T> CompletableFuture<T> onLoop(Supplier<T> what) {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                f.complete(what.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    public CompletableFuture<QxlStats> stats() {
        return onLoop(() -> new QxlStats(pending.size(), pendingBytes, releaseRing.unpublished(), releaseRing.released(),
                releaseRing.listsPushed(), surfaces.size() - (surfaces.containsKey(0) ? 1 : 0), surfaceBytes,
                surfaces.containsKey(0), commandsProcessed, skipped, dropped, surfaceRefusals, oomCount, slots.activeCount(),
                bug.name(), cursorVisible, cursorX, cursorY, cursorShape == null ? 0 : cursorShape.width(),
                cursorShape == null ? 0 : cursorShape.height()));
    }

    /**
     * Remote viewers (VNC) of the primary surface: they get its size and damage as drawables are
     * drawn, and read its pixels on this device's loop thread. Before the server starts.
     */
    public void watch(ScreenWatcher w) {
        viewers.watch(w, () -> surfaces.containsKey(0) ? surfaces.get(0).host() : null);
    }

    /** The primary surface after drawing everything pending, or null without one. Copied on the loop thread. */
    public CompletableFuture<Snapshot> snapshotPrimary() {
        return onLoop(() -> {
            if (bug == GuestBug.Code.NONE) {
                renderPending(0);
                publishReleases();
            }
            Surface s = surfaces.get(0);
            if (s == null) return null;
            return new Snapshot(s.host().width, s.host().height, s.host().pixels().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        });
    }

    /** Frees the host surfaces; called by the server on its loop thread as it stops. */
    @Override
    public void close() {
        destroyAllWithoutWriteBack();
    }
}
