package dev.panamavgpu.gpu.display;

import dev.panamavgpu.ffm.Epoll;
import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.ffm.Mman;
import dev.panamavgpu.ffm.UnixSockets;
import dev.panamavgpu.gpu.protocol.DisplayCursorPos;
import dev.panamavgpu.gpu.protocol.DisplayCursorUpdate;
import dev.panamavgpu.gpu.protocol.DisplayMsgHeader;
import dev.panamavgpu.gpu.protocol.DisplayReply;
import dev.panamavgpu.gpu.protocol.DisplayReplyParser;
import dev.panamavgpu.gpu.protocol.DisplayRequest;
import dev.panamavgpu.gpu.protocol.DisplayRequestEncoder;
import dev.panamavgpu.gpu.protocol.DisplayScanout;
import dev.panamavgpu.gpu.protocol.DisplayUpdate;
import dev.panamavgpu.gpu.protocol.VirtioGpu;
import dev.panamavgpu.vhostuser.loop.EventLoop;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The QEMU end of the display: the GPU socket handed over with GPU_SET_SOCKET. All writes are
 * non-blocking and driven by EPOLLOUT, so a QEMU that stops reading never stalls the vhost-user
 * control path or the control queue. What waits to be sent is small and bounded: control messages
 * (SCANOUT, cursor, requests), the newest cursor image and position, and one damage rectangle per
 * scanout; UPDATE pixels are read from the resource only when the message is built, so a slow
 * reader sees merged damage with the newest pixels. Runs on the connection's loop thread.
 */
public final class DisplayChannel implements ScreenSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DisplayChannel.class);
    /** QEMU does not answer GET_EDID for a scanout it does not have; such a request fails after this. */
    public static final int REPLY_TIMEOUT_MILLIS = 1000;
    /**
     * Control messages waiting for a QEMU that does not read are bounded: past this many bytes the
     * GPU socket is dropped, as after a write error, instead of the guest growing host memory.
     */
    public static final int MAX_QUEUED_CONTROL_BYTES = 1 << 20;

    /** A request waiting for QEMU's reply. */
    private final class Pending {
        final int request;
        final Consumer<DisplayReply> onReply;
        final EventLoop.Timer timer;

        Pending(int request, Consumer<DisplayReply> onReply) {
            this.request = request;
            this.onReply = onReply;
            this.timer = loop.schedule(REPLY_TIMEOUT_MILLIS, () -> timeout(this));
        }
    }

    private final EventLoop loop;
    private final DamageSource source;
    private final DisplayStats stats = new DisplayStats();
    private final ArrayDeque<byte[]> control = new ArrayDeque<>();
    private long controlBytes;      // sum of the lengths in control
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final ArrayDeque<EdidRequest> edidWaiting = new ArrayDeque<>();
    private boolean edidInFlight;
    private final DamageRect[] damage = new DamageRect[VirtioGpu.MAX_SCANOUTS];
    private byte[] cursorImage;     // newest CURSOR_UPDATE not yet sent
    private byte[] cursorMove;      // newest CURSOR_POS / CURSOR_POS_HIDE not yet sent
    private final Arena arena = Arena.ofShared();
    private final MemorySegment readBuf;
    private Arena updateArena;             // owns updateBuf alone, so a smaller one can be unmapped
    private MemorySegment updateBuf;       // our own copy of an UPDATE, for pixels that need converting
    private final MemorySegment updateHeader;
    private final OutgoingMessage out = new OutgoingMessage();
    private boolean writeScheduled;        // a writeSome task is queued on the loop
    private Fd socket;
    private EventLoop.Watch watch;
    private DisplayReplyParser parser = new DisplayReplyParser();
    private long protocolFeatures;
    private int nextDamage;

    public DisplayChannel(EventLoop loop, DamageSource source) {
        this.loop = loop;
        this.source = source;
        this.readBuf = arena.allocate(4096);
        this.updateHeader = arena.allocate(DisplayRequestEncoder.UPDATE_DATA_OFFSET);
    }

    /**
     * Bytes built and waiting for the GPU socket: the unsent part of the message in flight plus
     * waiting control messages and cursor images. Pending damage is not here: it is a rectangle, and
     * its pixels are read from the resource only when its UPDATE is built, one message at a time.
     */
    public long queuedBytes() {
        return out.remaining() + controlBytes + (cursorImage != null ? cursorImage.length : 0) + (cursorMove != null ? cursorMove.length : 0);
    }

    /** Pixel bytes the pending damage will send. */
    public long damageBytes() {
        long n = 0;
        for (DamageRect r : damage) if (r != null) n += r.pixels() * 4;
        return n;
    }

    public DisplayStats stats() { return stats; }
    public boolean isConnected() { return socket != null; }
    public boolean edidSupported() { return (protocolFeatures & (1L << DisplayRequest.PROTOCOL_F_EDID)) != 0; }

    /**
     * Takes a new GPU socket (QEMU makes one per DRIVER_OK): the old one is closed, replies it owed
     * fail at once, and the protocol features are negotiated again. The caller then re-sends SCANOUT
     * for every active scanout.
     */
    public void attach(Fd fd) {
        disconnect("replaced");
        try {
            Libc.setNonBlocking(fd.get());
            widenSendBuffer(fd);
            socket = fd;
            watch = loop.watch(fd.get(), Epoll.EPOLLIN | Epoll.EPOLLRDHUP, this::onReady);
        } catch (ErrnoException e) {
            log.warn("cannot use the GPU socket: {}", e.getMessage());
            fd.close();
            socket = null;
            return;
        }
        stats.socketsAccepted++;
        parser = new DisplayReplyParser();
        protocolFeatures = 0;
        request(DisplayRequest.GET_PROTOCOL_FEATURES, reply -> {
            if (reply instanceof DisplayReply.ProtocolFeatures f) {
                protocolFeatures = f.features() & (1L << DisplayRequest.PROTOCOL_F_EDID); // no dmabuf: 2D pixels only
                byte[] m = new byte[20];
                DisplayRequestEncoder.setProtocolFeatures(MemorySegment.ofArray(m), protocolFeatures);
                enqueue(m);
            }
        });
        log.info("display socket attached");
    }

    /** Requested GPU socket send buffer: a 4K frame is 33 MB, and each EPOLLOUT round costs a wakeup. */
    static final int SEND_BUFFER_BYTES = 4 << 20;

    /**
     * Asks for a larger socket send buffer, so an UPDATE goes out in a few sendmsg calls instead of
     * one per default buffer (208 KiB). The kernel caps it at net.core.wmem_max; that is fine. It is
     * kernel memory, bounded, and not charged to the guest: QEMU's reading speed decides how full it is.
     */
    private static void widenSendBuffer(Fd fd) {
        try {
            UnixSockets.setIntOption(fd, UnixSockets.SO_SNDBUF, SEND_BUFFER_BYTES);
        } catch (ErrnoException e) {
            log.debug("SO_SNDBUF not widened: {}", e.getMessage());
        }
    }

    /** Queues a request whose reply goes to {@code onReply} (a null reply means it timed out or the socket went away). */
    public void request(int request, Consumer<DisplayReply> onReply) {
        if (socket == null) {
            onReply.accept(null);
            return;
        }
        pending.add(new Pending(request, onReply));
        byte[] m = new byte[request == DisplayRequest.GET_EDID ? 16 : 12];
        MemorySegment s = MemorySegment.ofArray(m);
        switch (request) {
            case DisplayRequest.GET_PROTOCOL_FEATURES -> DisplayRequestEncoder.getProtocolFeatures(s);
            case DisplayRequest.GET_DISPLAY_INFO -> DisplayRequestEncoder.getDisplayInfo(s);
            default -> throw new IllegalArgumentException("not a request with a reply: " + request);
        }
        enqueue(m);
    }

    /**
     * Asks QEMU for a scanout's EDID. QEMU does not answer for a scanout it does not have, and an
     * EDID reply does not say which scanout it is for, so only one GET_EDID is in flight at a time:
     * the others wait here, and a late reply can never be taken for the next request's.
     */
    public void requestEdid(long scanoutId, Consumer<DisplayReply> onReply) {
        if (socket == null) {
            onReply.accept(null);
            return;
        }
        edidWaiting.add(new EdidRequest(scanoutId, onReply));
        if (!edidInFlight) sendNextEdid();
    }

    private record EdidRequest(long scanoutId, Consumer<DisplayReply> onReply) {}

    private void sendNextEdid() {
        if (socket == null) return; // disconnect() fails the waiting ones
        EdidRequest next = edidWaiting.poll();
        if (next == null) return;
        edidInFlight = true;
        Pending edid = new Pending(DisplayRequest.GET_EDID, reply -> {
            edidInFlight = false;
            next.onReply().accept(reply);
            sendNextEdid();
        });
        pending.add(edid);
        byte[] m = new byte[16];
        DisplayRequestEncoder.getEdid(MemorySegment.ofArray(m), next.scanoutId());
        enqueue(m);
        // A barrier: QEMU answers in order and always answers GET_PROTOCOL_FEATURES (no side effect),
        // so if its reply comes first, QEMU skipped the GET_EDID and we can fail it now, not after the timeout.
        request(DisplayRequest.GET_PROTOCOL_FEATURES, reply -> {
            if (reply != null && pending.remove(edid)) {
                edid.timer.cancel();
                edid.onReply.accept(null);
            }
        });
    }

    /** SCANOUT (width 0 disables); drops damage queued for the previous configuration. */
    @Override
    public void scanout(int scanoutId, long width, long height) {
        if (damage[scanoutId] != null) stats.damageDropped++;
        damage[scanoutId] = null;
        byte[] m = new byte[24];
        DisplayRequestEncoder.scanout(MemorySegment.ofArray(m), new DisplayScanout(scanoutId, width, height));
        enqueue(m);
    }

    /** Marks {@code rect} of a scanout as changed; merges with damage not yet sent. */
    @Override
    public void damage(int scanoutId, DamageRect rect) {
        if (rect.isEmpty() || socket == null) return;
        DamageRect old = damage[scanoutId];
        if (old != null) stats.damageMerges++;
        damage[scanoutId] = rect.union(old);
        wantWrite();
    }

    /** CURSOR_UPDATE with a 64x64 a8r8g8b8 image; replaces any image not yet sent. */
    @Override
    public void cursorImage(DisplayCursorPos pos, long hotX, long hotY, MemorySegment argb) {
        byte[] m = new byte[12 + 16404];
        DisplayRequestEncoder.cursorUpdate(MemorySegment.ofArray(m), pos, hotX, hotY, argb);
        cursorImage = m;
        cursorMove = null; // the image carries the position
        wantWrite();
    }

    @Override
    public void cursorMove(DisplayCursorPos pos, boolean hide) {
        byte[] m = new byte[24];
        if (hide) DisplayRequestEncoder.cursorPosHide(MemorySegment.ofArray(m), pos);
        else DisplayRequestEncoder.cursorPos(MemorySegment.ofArray(m), pos);
        if (cursorImage != null && !hide) {
            // the image not yet sent carries the position: move it there rather than queue the image
            // again for every move (a guest alternating update and move would grow the queue)
            pos.write(MemorySegment.ofArray(cursorImage), DisplayMsgHeader.SIZE + DisplayCursorUpdate.POS);
            cursorMove = null;
        } else {
            cursorMove = m;
        }
        wantWrite();
    }

    private void enqueue(byte[] message) {
        if (socket == null) return;
        if (controlBytes + message.length > MAX_QUEUED_CONTROL_BYTES) {
            disconnect("dropped: QEMU does not read, " + controlBytes + " bytes of control messages wait");
            return;
        }
        control.add(message);
        controlBytes += message.length;
        wantWrite();
    }

    /**
     * Something waits to be sent. If nothing is in flight, sending starts in this loop turn, after
     * the current handler (so after the queue pass has published its completions): the socket is
     * almost always writable then, and waiting a turn for EPOLLOUT would only add an epoll round.
     * EPOLLOUT is asked for only once the socket is full.
     */
    private void wantWrite() {
        if (watch == null || writeScheduled) return;
        if (!out.isEmpty()) return; // in flight: EPOLLOUT is already wanted, or the scheduled write runs
        writeScheduled = true;
        loop.execute(() -> {
            writeScheduled = false;
            writeSome();
        });
    }

    private void waitForWritable() {
        if (watch != null) watch.setInterest(Epoll.EPOLLIN | Epoll.EPOLLRDHUP | Epoll.EPOLLOUT);
    }

    private void onReady(int events) {
        if ((events & (Epoll.EPOLLIN | Epoll.EPOLLERR | Epoll.EPOLLHUP | Epoll.EPOLLRDHUP)) != 0 && !readReplies()) return;
        if ((events & Epoll.EPOLLOUT) != 0) writeSome();
    }

    /** Reads what QEMU sent; false if the socket was dropped. */
    private boolean readReplies() {
        while (socket != null) {
            long n;
            try {
                n = Libc.read(socket.get(), readBuf, readBuf.byteSize());
            } catch (ErrnoException e) {
                disconnect("read failed: " + e.getMessage());
                return false;
            }
            if (n == Libc.AGAIN) return true;
            if (n == 0) {
                disconnect("closed by QEMU");
                return false;
            }
            for (DisplayReply r : parser.feed(readBuf.asSlice(0, n))) {
                if (r instanceof DisplayReply.ProtocolError e) {
                    disconnect("protocol error: " + e);
                    return false;
                }
                deliver(r);
            }
        }
        return false;
    }

    private void deliver(DisplayReply r) {
        int type = switch (r) {
            case DisplayReply.ProtocolFeatures f -> DisplayRequest.GET_PROTOCOL_FEATURES;
            case DisplayReply.DisplayInfo d -> DisplayRequest.GET_DISPLAY_INFO;
            case DisplayReply.Edid e -> DisplayRequest.GET_EDID;
            case DisplayReply.DmabufUpdateDone d -> DisplayRequest.DMABUF_UPDATE;
            case DisplayReply.ProtocolError e -> 0;
        };
        // QEMU answers in order, but may skip a GET_EDID: the reply belongs to the oldest request of its type
        Pending p = null;
        for (Pending q : pending) {
            if (q.request == type) { p = q; break; }
        }
        if (p == null) {
            log.debug("unexpected display reply {}", r);  // e.g. a late answer to a request that timed out
            return;
        }
        pending.remove(p);
        p.timer.cancel();
        p.onReply.accept(r);
    }

    private void timeout(Pending p) {
        if (!pending.remove(p)) return;
        stats.repliesTimedOut++;
        log.debug("no reply to {} within {} ms", DisplayRequest.name(p.request), REPLY_TIMEOUT_MILLIS);
        p.onReply.accept(null);
    }

    private void writeSome() {
        while (socket != null) {
            if (out.isEmpty() && !nextMessage()) {
                if (watch != null) watch.setInterest(Epoll.EPOLLIN | Epoll.EPOLLRDHUP);
                return;
            }
            long n;
            try {
                n = UnixSockets.send(socket, out.unsent(), NO_FDS);
            } catch (ErrnoException e) {
                disconnect("write failed: " + e.getMessage());
                return;
            }
            if (n == Libc.AGAIN) { // full: EPOLLOUT calls again
                waitForWritable();
                return;
            }
            stats.bytesSent += n;
            out.advance(n);
        }
    }

    private static final int[] NO_FDS = new int[0];
    /** Picks the next message: control first (SCANOUT must precede UPDATE), cursor, then damage round-robin. */
    private boolean nextMessage() {
        byte[] m = control.poll();
        if (m != null) controlBytes -= m.length;
        if (m == null && cursorImage != null) { m = cursorImage; cursorImage = null; }
        if (m == null && cursorMove != null) { m = cursorMove; cursorMove = null; }
        if (m != null) {
            out.start(MemorySegment.ofArray(m));
            return true;
        }
        for (int k = 0; k < damage.length; k++) {
            int id = (nextDamage + k) % damage.length;
            DamageRect r = damage[id];
            if (r == null) continue;
            damage[id] = null;
            nextDamage = id + 1;
            if (buildUpdate(id, r)) return true;
            stats.damageDropped++;
        }
        return false;
    }

    private boolean buildUpdate(int scanoutId, DamageRect r) {
        DisplayUpdate u = new DisplayUpdate(scanoutId, r.x(), r.y(), r.width(), r.height());
        long size = DisplayRequestEncoder.updateMessageSize(u);
        MemorySegment[] rows = source.directRows(scanoutId, r);
        if (rows != null) {
            // straight from the resource: no copy of the pixels at all
            DisplayRequestEncoder.updateHeaderOnly(updateHeader, u);
            MemorySegment[] pieces = new MemorySegment[rows.length + 1];
            pieces[0] = updateHeader;
            System.arraycopy(rows, 0, pieces, 1, rows.length);
            out.start(pieces);
            stats.updatesSent++;
            stats.directUpdates++;
            return true;
        }
        if (!ensureUpdateBuffer(size)) return false;
        MemorySegment msg = updateBuf.asSlice(0, size);
        DisplayRequestEncoder.updateHeader(msg, u);
        if (!source.render(scanoutId, r, msg.asSlice(DisplayRequestEncoder.UPDATE_DATA_OFFSET))) return false;
        stats.updatesSent++;
        out.start(msg);
        return true;
    }

    /**
     * Makes {@code updateBuf} at least {@code size} long. It is only called while no message reads
     * from it, so a smaller one is unmapped rather than kept beside the new one.
     */
    private boolean ensureUpdateBuffer(long size) {
        if (updateBuf != null && updateBuf.byteSize() >= size) return true;
        Arena a = Arena.ofShared();
        try {
            MemorySegment b = Mman.mapAnonymous(Math.max(size, 1 << 20), a);
            if (updateArena != null) updateArena.close();
            updateArena = a;
            updateBuf = b;
            return true;
        } catch (ErrnoException e) {
            a.close();
            log.warn("no memory for an UPDATE of {} bytes: {}", size, e.getMessage());
            return false;
        }
    }

    /**
     * The device is about to unmap {@code memory} (a resource freed or moved to the page file): if
     * the message in flight still reads from it, its unsent bytes are copied to our own buffer first,
     * so the message completes with the pixels as they were and never touches unmapped memory.
     */
    public void forget(MemorySegment memory) {
        if (!out.readsFrom(memory)) return;
        // the message reads from resource memory, never from updateBuf, so the copy cannot overlap it
        long size = out.remaining();
        if (!ensureUpdateBuffer(size)) {
            disconnect("cannot keep an UPDATE whose resource went away");
            return;
        }
        MemorySegment copy = updateBuf.asSlice(0, size);
        out.copyUnsentTo(copy);
        stats.updatesCopiedOnUnmap++;
        out.start(copy);
    }

    /** Drops the socket: pending replies fail, queued output is discarded. */
    public void disconnect(String why) {
        if (socket == null) return;
        if (watch != null) watch.cancel();
        watch = null;
        socket.close();
        socket = null;
        out.clear();
        control.clear();
        controlBytes = 0;
        cursorImage = cursorMove = null;
        for (int i = 0; i < damage.length; i++) {
            if (damage[i] != null) stats.damageDropped++;
            damage[i] = null;
        }
        log.info("display socket {}", why);
        while (!pending.isEmpty()) {
            Pending p = pending.poll();
            p.timer.cancel();
            p.onReply.accept(null);
        }
        edidInFlight = false;
        while (!edidWaiting.isEmpty()) edidWaiting.poll().onReply().accept(null);
    }

    @Override
    public void close() {
        disconnect("closed");
        if (arena.scope().isAlive()) arena.close();
        if (updateArena != null && updateArena.scope().isAlive()) updateArena.close();
    }
}
