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
public final class DisplayChannel implements AutoCloseable {
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
    private MemorySegment updateBuf;
    private MemorySegment out;      // the message being sent
    private long outSent;
    private Fd socket;
    private EventLoop.Watch watch;
    private DisplayReplyParser parser = new DisplayReplyParser();
    private long protocolFeatures;
    private int nextDamage;

    public DisplayChannel(EventLoop loop, DamageSource source) {
        this.loop = loop;
        this.source = source;
        this.readBuf = arena.allocate(4096);
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
    public void scanout(int scanoutId, long width, long height) {
        damage[scanoutId] = null;
        byte[] m = new byte[24];
        DisplayRequestEncoder.scanout(MemorySegment.ofArray(m), new DisplayScanout(scanoutId, width, height));
        enqueue(m);
    }

    /** Marks {@code rect} of a scanout as changed; merges with damage not yet sent. */
    public void damage(int scanoutId, DamageRect rect) {
        if (rect.isEmpty() || socket == null) return;
        DamageRect old = damage[scanoutId];
        if (old != null) stats.damageMerges++;
        damage[scanoutId] = rect.union(old);
        wantWrite();
    }

    /** CURSOR_UPDATE with a 64x64 a8r8g8b8 image; replaces any image not yet sent. */
    public void cursorImage(DisplayCursorPos pos, long hotX, long hotY, MemorySegment argb) {
        byte[] m = new byte[12 + 16404];
        DisplayRequestEncoder.cursorUpdate(MemorySegment.ofArray(m), pos, hotX, hotY, argb);
        cursorImage = m;
        cursorMove = null; // the image carries the position
        wantWrite();
    }

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

    private void wantWrite() {
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
            if (out == null && !nextMessage()) {
                if (watch != null) watch.setInterest(Epoll.EPOLLIN | Epoll.EPOLLRDHUP);
                return;
            }
            long n;
            try {
                n = UnixSockets.send(socket, new MemorySegment[] {out.asSlice(outSent)}, new int[0]);
            } catch (ErrnoException e) {
                disconnect("write failed: " + e.getMessage());
                return;
            }
            if (n == Libc.AGAIN) return; // EPOLLOUT will call again
            outSent += n;
            stats.bytesSent += n;
            if (outSent == out.byteSize()) {
                out = null;
                outSent = 0;
            }
        }
    }

    /** Picks the next message: control first (SCANOUT must precede UPDATE), cursor, then damage round-robin. */
    private boolean nextMessage() {
        byte[] m = control.poll();
        if (m != null) controlBytes -= m.length;
        if (m == null && cursorImage != null) { m = cursorImage; cursorImage = null; }
        if (m == null && cursorMove != null) { m = cursorMove; cursorMove = null; }
        if (m != null) {
            out = MemorySegment.ofArray(m);
            outSent = 0;
            return true;
        }
        for (int k = 0; k < damage.length; k++) {
            int id = (nextDamage + k) % damage.length;
            DamageRect r = damage[id];
            if (r == null) continue;
            damage[id] = null;
            nextDamage = id + 1;
            if (buildUpdate(id, r)) return true;
        }
        return false;
    }

    private boolean buildUpdate(int scanoutId, DamageRect r) {
        DisplayUpdate u = new DisplayUpdate(scanoutId, r.x(), r.y(), r.width(), r.height());
        long size = DisplayRequestEncoder.updateMessageSize(u);
        try {
            if (updateBuf == null || updateBuf.byteSize() < size) {
                updateBuf = Mman.mapAnonymous(Math.max(size, 1 << 20), arena);
            }
        } catch (ErrnoException e) {
            log.warn("no memory for an UPDATE of {} bytes: {}", size, e.getMessage());
            return false;
        }
        MemorySegment msg = updateBuf.asSlice(0, size);
        DisplayRequestEncoder.updateHeader(msg, u);
        if (!source.render(scanoutId, r, msg.asSlice(DisplayRequestEncoder.UPDATE_DATA_OFFSET))) return false;
        stats.updatesSent++;
        out = msg;
        outSent = 0;
        return true;
    }

    /** Drops the socket: pending replies fail, queued output is discarded. */
    public void disconnect(String why) {
        if (socket == null) return;
        if (watch != null) watch.cancel();
        watch = null;
        socket.close();
        socket = null;
        out = null;
        outSent = 0;
        control.clear();
        controlBytes = 0;
        cursorImage = cursorMove = null;
        java.util.Arrays.fill(damage, null);
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
    }
}
