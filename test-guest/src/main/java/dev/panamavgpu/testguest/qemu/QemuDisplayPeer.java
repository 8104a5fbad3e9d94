package dev.panamavgpu.testguest.qemu;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.ffm.UnixSockets;
import dev.panamavgpu.vhostuser.frontend.FrontendConnection;
import dev.panamavgpu.vhostuser.message.Header;
import dev.panamavgpu.vhostuser.message.Request;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * QEMU's end of the vhost-user-gpu display socket (hw/display/vhost-user-gpu.c, QEMU 10.0.2): makes a
 * socketpair, hands one end to the back-end with GPU_SET_SOCKET (request 33, flags 0x1, no payload, one fd) and
 * serves the other end on a thread the way QEMU does:
 * <ul>
 *   <li>GET_PROTOCOL_FEATURES → {@link Config#protocolFeatures()} (QEMU 10: EDID|DMABUF2 = 3);
 *       SET_PROTOCOL_FEATURES is recorded, no reply;</li>
 *   <li>GET_DISPLAY_INFO → a 408-byte virtio_gpu_resp_display_info built from {@link Config#displays()};</li>
 *   <li>GET_EDID → a 1056-byte virtio_gpu_resp_edid only for scanout &lt; {@link Config#maxOutputs()}; otherwise
 *       nothing at all, exactly like QEMU ("invalid scanout");</li>
 *   <li>SCANOUT, UPDATE, CURSOR_POS, CURSOR_POS_HIDE, CURSOR_UPDATE are recorded in order and checked: exact
 *       sizes (12, 20+w·h·4, 12, 12, 16404), and an UPDATE for a scanout that got no SCANOUT (or was disabled
 *       with width 0) on this socket is a violation (QEMU would dereference a NULL surface).</li>
 * </ul>
 * The peer also keeps one framebuffer per scanout that SCANOUT (re)creates and UPDATEs are drawn into, so tests
 * can compare pixels. Reading can be paused to play a QEMU whose UI is blocked.
 */
public final class QemuDisplayPeer implements AutoCloseable {
    /** A display mode QEMU reports for one scanout in GET_DISPLAY_INFO. */
    public record Mode(int width, int height, boolean enabled) {}

    /**
     * @param maxOutputs       QEMU's max_outputs: GET_EDID at or above it gets no reply
     * @param displays         GET_DISPLAY_INFO entries, scanout 0 first (at most 16)
     * @param protocolFeatures the GET_PROTOCOL_FEATURES answer
     * @param keepPixels       false: UPDATE pixels are read as fast as possible and dropped, only counted
     *                         ({@link #updatesReceived()}), as a benchmark needs; no framebuffers, no UPDATE events
     */
    public record Config(int maxOutputs, List<Mode> displays, long protocolFeatures, boolean keepPixels) {
        public static Config defaults() {
            return new Config(1, List.of(new Mode(1280, 800, true)), 3, true);
        }

        public Config withMaxOutputs(int n) { return new Config(n, displays, protocolFeatures, keepPixels); }
        public Config withDisplays(List<Mode> d) { return new Config(maxOutputs, List.copyOf(d), protocolFeatures, keepPixels); }
        public Config withProtocolFeatures(long f) { return new Config(maxOutputs, displays, f, keepPixels); }
        public Config discardingPixels() { return new Config(maxOutputs, displays, protocolFeatures, false); }
    }

    /** One scanout's picture as QEMU holds it: x8r8g8b8, stride width·4. */
    public record Framebuffer(int width, int height, byte[] pixels) {
        public int pixel(int x, int y) {
            int i = (y * width + x) * 4;
            return (pixels[i] & 0xff) | (pixels[i + 1] & 0xff) << 8 | (pixels[i + 2] & 0xff) << 16 | (pixels[i + 3] & 0xff) << 24;
        }
    }

    public static final int MSG_HEADER = 12;
    public static final int FLAG_REPLY = 0x4;
    public static final int RESP_OK_DISPLAY_INFO = 0x1101;
    public static final int RESP_OK_EDID = 0x1104;
    public static final int CURSOR_UPDATE_SIZE = 16404;
    private static final long MAX_MESSAGE = 256L << 20;

    private final Config config;
    private final Fd socket;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment io;
    private final MemorySegment out;
    private final Thread thread;
    private final Object lock = new Object();
    private final List<DisplayEvent> events = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final Map<Integer, Framebuffer> framebuffers = new HashMap<>();
    private volatile boolean paused;
    private volatile boolean stopping;
    private boolean eof;
    private long bytesRead;
    // benchmark counters (written by the reader thread only)
    private volatile long updates;
    private volatile long updateBytes;
    private volatile long lastUpdateNanos;

    private QemuDisplayPeer(Config config, Fd socket) {
        this.config = config;
        this.socket = socket;
        this.io = arena.allocate(1 << 20, 8);
        this.out = arena.allocate(4096, 8);
        this.thread = new Thread(this::run, "qemu-display-peer");
        this.thread.setDaemon(true);
    }

    /** Creates the socketpair, starts serving our end and sends the other to the back-end with GPU_SET_SOCKET. */
    public static QemuDisplayPeer attach(FrontendConnection conn, Config config) throws IOException {
        Fd[] pair = UnixSockets.socketpair(false);
        QemuDisplayPeer p = new QemuDisplayPeer(config, pair[0]);
        p.thread.start();
        try {
            conn.send(Request.GPU_SET_SOCKET, Header.VERSION_1, MemorySegment.ofArray(new byte[0]), pair[1].get());
        } catch (IOException | RuntimeException e) {
            p.close();
            throw e;
        } finally {
            pair[1].close(); // the back-end has its own copy now
        }
        return p;
    }

    /** Serves {@code socket} (our end of a socketpair someone else writes to, e.g. a benchmark's own sender). */
    public static QemuDisplayPeer serve(Fd socket, Config config) {
        QemuDisplayPeer p = new QemuDisplayPeer(config, socket);
        p.thread.start();
        return p;
    }

    public static QemuDisplayPeer attach(FrontendConnection conn) throws IOException {
        return attach(conn, Config.defaults());
    }

    public Config config() { return config; }

    // ---------------------------------------------------------------------------------------------------------
    // observation

    /** All messages received so far, in order. */
    public List<DisplayEvent> events() {
        synchronized (lock) { return List.copyOf(events); }
    }

    /** Number of messages received so far: a mark for {@link #eventsSince} and {@link #awaitAfter}. */
    public int mark() {
        synchronized (lock) { return events.size(); }
    }

    /** Drops the pixels of UPDATEs recorded before {@code mark} (the events stay), for long runs. */
    public void forgetPixelsBefore(int mark) {
        synchronized (lock) {
            for (int i = 0; i < mark && i < events.size(); i++) {
                if (events.get(i) instanceof DisplayEvent.Update u && u.data().length > 0)
                    events.set(i, new DisplayEvent.Update(u.scanoutId(), u.x(), u.y(), u.width(), u.height(), new byte[0]));
            }
        }
    }

    public List<DisplayEvent> eventsSince(int mark) {
        synchronized (lock) { return List.copyOf(events.subList(Math.min(mark, events.size()), events.size())); }
    }

    /** Protocol violations seen (wrong sizes, UPDATE before SCANOUT, UPDATE outside the scanout ...). */
    public List<String> violations() {
        synchronized (lock) { return List.copyOf(violations); }
    }

    public boolean isEof() {
        synchronized (lock) { return eof; }
    }

    public long bytesRead() {
        synchronized (lock) { return bytesRead; }
    }

    /** UPDATE messages received whole so far. */
    public long updatesReceived() { return updates; }

    /** Bytes of the UPDATE messages received whole so far, headers included (what crossed the socket). */
    public long updateBytesReceived() { return updateBytes; }

    /** {@link System#nanoTime()} when the last whole UPDATE had been read. */
    public long lastUpdateNanos() { return lastUpdateNanos; }

    /**
     * Waits until {@code count} UPDATEs arrived in total, or none arrived for {@code idleMillis}; returns the
     * number received. Polls: only benchmarks use it, after their timed part.
     */
    public long awaitUpdates(long count, long idleMillis) throws InterruptedException {
        long seen = updates, since = System.nanoTime();
        while (updates < count) {
            Thread.sleep(1);
            long now = updates;
            if (now != seen) {
                seen = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since > idleMillis * 1_000_000L) {
                break;
            }
        }
        return updates;
    }

    /** A copy of scanout {@code id}'s picture, or null if no SCANOUT enabled it. */
    public Framebuffer framebuffer(int id) {
        synchronized (lock) {
            Framebuffer f = framebuffers.get(id);
            return f == null ? null : new Framebuffer(f.width(), f.height(), f.pixels().clone());
        }
    }

    /** Waits for the first event at index ≥ {@code mark} matching {@code p}; null on timeout. */
    public DisplayEvent awaitAfter(int mark, Predicate<DisplayEvent> p, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        synchronized (lock) {
            int i = Math.max(0, mark);
            while (true) {
                for (; i < events.size(); i++) if (p.test(events.get(i))) return events.get(i);
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) return null;
                lock.wait(left);
            }
        }
    }

    /** Waits for the first event of {@code type} at index ≥ {@code mark} matching {@code p}; null on timeout. */
    public <T extends DisplayEvent> T awaitAfter(int mark, Class<T> type, Predicate<T> p, long timeoutMillis) throws InterruptedException {
        DisplayEvent e = awaitAfter(mark, x -> type.isInstance(x) && p.test(type.cast(x)), timeoutMillis);
        return e == null ? null : type.cast(e);
    }

    /** Waits until the back-end has sent SET_PROTOCOL_FEATURES (negotiation over); false on timeout. */
    public boolean awaitNegotiated(long timeoutMillis) throws InterruptedException {
        return awaitAfter(0, DisplayEvent.SetProtocolFeatures.class, x -> true, timeoutMillis) != null;
    }

    /** Waits until the back-end closed its end; false on timeout. */
    public boolean awaitEof(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        synchronized (lock) {
            while (!eof) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) return false;
                lock.wait(left);
            }
            return true;
        }
    }

    /** Waits until {@code p} holds for scanout {@code id}'s framebuffer and returns a copy of it; null on timeout. */
    public Framebuffer awaitFramebuffer(int id, Predicate<Framebuffer> p, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        synchronized (lock) {
            while (true) {
                Framebuffer f = framebuffers.get(id);
                if (f != null && p.test(f)) return new Framebuffer(f.width(), f.height(), f.pixels().clone());
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) return null;
                lock.wait(left);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // control

    /** Stops reading the socket (between messages), like QEMU while its GL console is blocked. */
    public void pause() { paused = true; }

    public void resume() {
        paused = false;
        synchronized (lock) { lock.notifyAll(); }
    }

    public boolean isPaused() { return paused; }

    @Override
    public void close() {
        stopping = true;
        resume();
        UnixSockets.shutdown(socket);
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close();
        if (!thread.isAlive() && arena.scope().isAlive()) arena.close();
    }

    // ---------------------------------------------------------------------------------------------------------
    // the reader thread

    private void run() {
        try {
            byte[] hdr = new byte[MSG_HEADER];
            while (!stopping) {
                synchronized (lock) {
                    while (paused && !stopping) lock.wait();
                }
                if (stopping) break;
                if (!readFully(hdr, 0, MSG_HEADER)) break;
                ByteBuffer h = ByteBuffer.wrap(hdr).order(ByteOrder.nativeOrder());
                int request = h.getInt(0), flags = h.getInt(4);
                long size = Integer.toUnsignedLong(h.getInt(8));
                if (size > MAX_MESSAGE) {
                    violation("message " + request + " announces " + size + " bytes; stopped reading");
                    break;
                }
                if (request == 8 && !config.keepPixels()) {
                    if (!skipFully(size)) break;
                    updateBytes += MSG_HEADER + size;
                    updates++;
                    lastUpdateNanos = System.nanoTime();
                    continue;
                }
                byte[] payload = new byte[(int) size];
                if (!readFully(payload, 0, payload.length)) {
                    violation("socket closed in the middle of message " + request + " (" + size + " bytes)");
                    break;
                }
                handle(request, flags, payload);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ErrnoException | RuntimeException e) {
            if (!stopping) violation("socket error: " + e);
        } finally {
            synchronized (lock) {
                eof = true;
                lock.notifyAll();
            }
        }
    }

    /** False at end of stream before {@code len} bytes. */
    private boolean readFully(byte[] dst, int off, int len) throws ErrnoException {
        int done = 0;
        while (done < len) {
            long n;
            try {
                n = Libc.read(socket.get(), io, Math.min(io.byteSize(), len - done));
            } catch (IllegalStateException closed) {
                return false;
            }
            if (n == 0) return false;
            if (n == Libc.AGAIN) continue; // not expected on a blocking socket
            MemorySegment.copy(io, ValueLayout.JAVA_BYTE, 0, dst, off + done, (int) n);
            done += (int) n;
            synchronized (lock) { bytesRead += n; }
        }
        return true;
    }

    /** Reads and drops {@code len} bytes; false at end of stream. */
    private boolean skipFully(long len) throws ErrnoException {
        long done = 0;
        while (done < len) {
            long n;
            try {
                n = Libc.read(socket.get(), io, Math.min(io.byteSize(), len - done));
            } catch (IllegalStateException closed) {
                return false;
            }
            if (n == 0) return false;
            if (n == Libc.AGAIN) continue;
            done += n;
        }
        synchronized (lock) { bytesRead += len; }
        return true;
    }

    private void writeFully(MemorySegment m, long len) throws ErrnoException {
        long done = 0;
        while (done < len) {
            long n = Libc.write(socket.get(), m.asSlice(done), len - done);
            if (n == Libc.AGAIN) continue;
            done += n;
        }
    }

    private void violation(String what) {
        synchronized (lock) {
            violations.add(what);
            lock.notifyAll();
        }
    }

    private void record(DisplayEvent e) {
        synchronized (lock) {
            events.add(e);
            lock.notifyAll();
        }
    }

    private static int u32(byte[] p, int off) {
        return ByteBuffer.wrap(p).order(ByteOrder.nativeOrder()).getInt(off);
    }

    private boolean exact(String name, byte[] p, int size) {
        if (p.length == size) return true;
        violation(name + " with " + p.length + " payload bytes, expected exactly " + size);
        return false;
    }

    private void handle(int request, int flags, byte[] p) throws ErrnoException {
        switch (request) {
            case 1 -> { // GET_PROTOCOL_FEATURES
                exact("GET_PROTOCOL_FEATURES", p, 0);
                record(new DisplayEvent.GetProtocolFeatures());
                ByteBuffer b = reply(1, 8);
                b.putLong(MSG_HEADER, config.protocolFeatures());
                send(b);
            }
            case 2 -> { // SET_PROTOCOL_FEATURES: QEMU ignores the value, never replies
                if (exact("SET_PROTOCOL_FEATURES", p, 8)) {
                    record(new DisplayEvent.SetProtocolFeatures(ByteBuffer.wrap(p).order(ByteOrder.nativeOrder()).getLong(0)));
                }
            }
            case 3 -> { // GET_DISPLAY_INFO
                exact("GET_DISPLAY_INFO", p, 0);
                record(new DisplayEvent.GetDisplayInfo());
                ByteBuffer b = reply(3, 408);
                ByteBuffer le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
                le.putInt(MSG_HEADER, RESP_OK_DISPLAY_INFO);
                for (int i = 0; i < Math.min(16, config.displays().size()); i++) {
                    Mode m = config.displays().get(i);
                    int at = MSG_HEADER + 24 + 24 * i;
                    le.putInt(at + 8, m.width()).putInt(at + 12, m.height()).putInt(at + 16, m.enabled() ? 1 : 0);
                }
                send(b);
            }
            case 4, 5 -> { // CURSOR_POS, CURSOR_POS_HIDE
                if (exact(request == 4 ? "CURSOR_POS" : "CURSOR_POS_HIDE", p, 12)) {
                    record(request == 4 ? new DisplayEvent.CursorPos(u32(p, 0), u32(p, 4), u32(p, 8))
                            : new DisplayEvent.CursorHide(u32(p, 0), u32(p, 4), u32(p, 8)));
                }
            }
            case 6 -> { // CURSOR_UPDATE
                if (exact("CURSOR_UPDATE", p, CURSOR_UPDATE_SIZE)) {
                    record(new DisplayEvent.CursorUpdate(u32(p, 0), u32(p, 4), u32(p, 8), u32(p, 12), u32(p, 16),
                            Arrays.copyOfRange(p, 20, CURSOR_UPDATE_SIZE)));
                }
            }
            case 7 -> { // SCANOUT
                if (exact("SCANOUT", p, 12)) scanout(u32(p, 0), u32(p, 4), u32(p, 8));
            }
            case 8 -> update(p);
            case 11 -> { // GET_EDID
                if (!exact("GET_EDID", p, 4)) return;
                int id = u32(p, 0);
                boolean answer = Integer.compareUnsigned(id, config.maxOutputs()) < 0;
                record(new DisplayEvent.GetEdid(id, answer));
                if (answer) {
                    ByteBuffer b = reply(11, 1056);
                    ByteBuffer le = b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
                    le.putInt(MSG_HEADER, RESP_OK_EDID);
                    byte[] edid = edidFor(id);
                    le.putInt(MSG_HEADER + 24, edid.length);
                    b.put(MSG_HEADER + 32, edid);
                    send(b);
                }
            }
            case 10 -> { // DMABUF_UPDATE: QEMU without GL answers at once
                record(new DisplayEvent.Other(request, flags, p.length));
                send(reply(10, 0));
            }
            default -> {
                record(new DisplayEvent.Other(request, flags, p.length));
                if (request != 9 && request != 12) violation("unknown request " + request + " (" + p.length + " bytes)");
            }
        }
    }

    private void scanout(int id, int w, int h) {
        synchronized (lock) {
            events.add(new DisplayEvent.Scanout(id, w, h));
            if (Integer.compareUnsigned(id, 16) >= 0) {
                violations.add("SCANOUT for scanout " + Integer.toUnsignedString(id));
            } else if (w == 0 || h == 0 || !config.keepPixels()) {
                framebuffers.remove(id);
            } else {
                framebuffers.put(id, new Framebuffer(w, h, new byte[Math.multiplyExact(Math.multiplyExact(w, h), 4)]));
            }
            lock.notifyAll();
        }
    }

    private void update(byte[] p) {
        if (p.length < 20) {
            violation("UPDATE with " + p.length + " payload bytes (< 20)");
            return;
        }
        int id = u32(p, 0), x = u32(p, 4), y = u32(p, 8), w = u32(p, 12), h = u32(p, 16);
        long expected = 20 + Integer.toUnsignedLong(w) * Integer.toUnsignedLong(h) * 4;
        if (p.length != expected) {
            violation("UPDATE " + w + "x" + h + " with " + p.length + " payload bytes, expected " + expected);
            return;
        }
        DisplayEvent.Update u = new DisplayEvent.Update(id, x, y, w, h, Arrays.copyOfRange(p, 20, p.length));
        synchronized (lock) {
            events.add(u);
            Framebuffer f = framebuffers.get(id);
            if (f == null) {
                violations.add("UPDATE for scanout " + Integer.toUnsignedString(id) + " without an active SCANOUT (" + u + ")");
            } else if (Integer.toUnsignedLong(x) + Integer.toUnsignedLong(w) > f.width()
                    || Integer.toUnsignedLong(y) + Integer.toUnsignedLong(h) > f.height()) {
                violations.add(u + " outside the " + f.width() + "x" + f.height() + " scanout");
            } else {
                for (int row = 0; row < h; row++) {
                    System.arraycopy(u.data(), row * w * 4, f.pixels(), ((y + row) * f.width() + x) * 4, w * 4);
                }
            }
            lock.notifyAll();
        }
    }

    /** A 128-byte EDID-like block that names its scanout (byte 0x7E = id, checksum fixed up). */
    public static byte[] edidFor(int scanoutId) {
        byte[] e = new byte[128];
        byte[] magic = {0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0};
        System.arraycopy(magic, 0, e, 0, 8);
        for (int i = 8; i < 126; i++) e[i] = (byte) (i * 7 + scanoutId * 31);
        e[126] = (byte) scanoutId;
        int sum = 0;
        for (int i = 0; i < 127; i++) sum += e[i] & 0xff;
        e[127] = (byte) (-sum);
        return e;
    }

    private ByteBuffer reply(int request, int size) {
        ByteBuffer b = ByteBuffer.allocate(MSG_HEADER + size).order(ByteOrder.nativeOrder());
        b.putInt(0, request).putInt(4, FLAG_REPLY).putInt(8, size);
        return b;
    }

    private void send(ByteBuffer b) throws ErrnoException {
        byte[] a = b.array();
        MemorySegment.copy(a, 0, out, ValueLayout.JAVA_BYTE, 0, a.length);
        writeFully(out, a.length);
    }
}
