package dev.panamavgpu.vnc;

import static dev.panamavgpu.vnc.RfbWire.*;

import dev.panamavgpu.gpu.display.DamageRect;
import dev.panamavgpu.input.InputSink;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One viewer's connection, on two virtual threads of its own: the reader does the handshake and
 * then decodes the viewer's messages (requests, settings, input); the writer takes the frames the
 * loop thread copied for this viewer, encodes them and sends them with blocking writes. A viewer
 * that stops reading blocks only its own writer; the watchdog ({@link VncServer}) drops it.
 */
final class Viewer {
    private static final Logger log = LoggerFactory.getLogger(Viewer.class);

    final int id;
    final String peer;
    private final SocketChannel channel;
    private final VncServer server;
    private final ScreenHub hub;
    private final InputSink input;
    private final VncConfig config;
    private final long acceptedAt = System.nanoTime();
    private final RfbInput in;
    private final RfbOutput out;
    private final BlockingQueue<Frame> frames = new ArrayBlockingQueue<>(1); // the hub hands one at a time
    private final ViewerScreen screen = new ViewerScreen(this::offer);
    private volatile ViewerSettings settings = ViewerSettings.INITIAL;
    private volatile boolean ready;            // handshake done
    private volatile boolean announceSize;     // a non-incremental request from an ExtendedDesktopSize viewer
    private volatile boolean refusedResize;    // a SetDesktopSize waits for its "prohibited" answer
    private volatile int width, height;        // the size this viewer was last told (for input scaling)
    private volatile boolean closed;
    private volatile boolean pressedSomething; // it sent input: what it holds is released when it goes
    private volatile String dropReason;
    private Thread reader;
    private volatile Thread writer;
    private TightEncoder tight;                // writer thread
    private final RawEncoder raw = new RawEncoder();
    private volatile long updates, copyRects; // written by the writer, read when the viewer goes

    Viewer(int id, SocketChannel channel, VncServer server, ScreenHub hub, InputSink input, VncConfig config) {
        this.id = id;
        this.channel = channel;
        this.server = server;
        this.hub = hub;
        this.input = input;
        this.config = config;
        this.peer = peerName(channel);
        this.in = new RfbInput(channel);
        this.out = new RfbOutput(channel);
    }

    private static String peerName(SocketChannel c) {
        try {
            var a = c.getRemoteAddress();
            return a == null || a.toString().isEmpty() ? "unix socket" : a.toString();
        } catch (IOException e) {
            return "?";
        }
    }

    void start() {
        reader = Thread.ofVirtual().name("vnc-viewer-" + id + "-in").start(this::read);
    }

    /** Turns the viewer away at once (too many viewers), on a thread of its own. */
    void turnAway(String why) {
        Thread.ofVirtual().name("vnc-refuse-" + id).start(() -> {
            try {
                Handshake.turnAway(in, out, why);
            } catch (IOException ignored) {
                // it is going anyway
            } finally {
                drop(null);
            }
        });
    }

    // ---- reader thread ----

    private void read() {
        try {
            Handshake.Outcome h = Handshake.run(in, out, config.password() == null ? null : new VncAuth(config.password()),
                    config.allowNone());
            int[] size = hub.join(screen).get(5, TimeUnit.SECONDS);
            width = size[0];
            height = size[1];
            byte[] name = config.name().getBytes(StandardCharsets.UTF_8);
            out.u16(width).u16(height);
            byte[] pf = new byte[16];
            RfbPixelFormat.NATIVE.write(java.lang.foreign.MemorySegment.ofArray(pf), 0);
            out.bytes(pf).u32(name.length).bytes(name).flush();
            ready = true;
            log.info("viewer {} ({}) connected: RFB 3.{}, {}", id, peer, h.minor(),
                    h.security() == Handshake.SEC_VNC ? "VNC authentication" : "no authentication");
            writer = Thread.ofVirtual().name("vnc-viewer-" + id + "-out").start(this::write);
            messages();
        } catch (Handshake.Refused e) {
            drop("refused: " + e.getMessage());
        } catch (ClientMessageReader.ProtocolError e) {
            drop("dropped: protocol error: " + e.getMessage());
        } catch (ExecutionException | TimeoutException e) {
            drop("the backend did not answer: " + e);
        } catch (InterruptedException e) {
            drop("interrupted");
        } catch (IOException e) {
            drop(closed ? null : "left (" + e.getMessage() + ") after " + updates + " updates, " + copyRects + " CopyRects");
        } catch (RuntimeException e) {
            log.warn("viewer {}: unexpected error", id, e);
            drop("dropped after an internal error: " + e);
        }
    }

    private void messages() throws IOException {
        ClientMessageReader messages = new ClientMessageReader(in);
        while (!closed) handle(messages.next());
    }

    private void handle(ClientMessage m) throws IOException {
        switch (m) {
            case ClientMessage.SetPixelFormat p -> {
                String problem = p.format().problem();
                if (problem != null) throw new Handshake.Refused("pixel format not served: " + problem);
                settings = settings.withFormat(p.format());
            }
            case ClientMessage.SetEncodings e -> {
                ViewerSettings s = settings.withEncodings(e.encodings());
                if (s.encoding() != settings.encoding() || s.resizable() != settings.resizable() || s.cursor() != settings.cursor())
                    log.debug("viewer {}: {}{}{}{}", id, ViewerSettings.encodingName(s.encoding()), s.resizable() ? ", resizable" : "",
                            s.cursor() ? ", cursor" : "", s.lastRect() ? ", LastRect" : "");
                settings = s;
                hub.capabilities(screen, s.resizable(), s.cursor(), s.copyRect());
            }
            case ClientMessage.UpdateRequest r -> {
                if (!r.incremental() && settings.extendedDesktopSize()) announceSize = true; // RFB: answer each one with EDS
                hub.request(screen, r.incremental(), r.x(), r.y(), r.width(), r.height());
            }
            case ClientMessage.KeyEvent k -> {
                input.key(k.keysym(), 0, k.down());
                pressedSomething = true;
            }
            case ClientMessage.QemuKeyEvent k -> {
                input.key(k.keysym(), k.keycode(), k.down());
                pressedSomething = true;
            }
            case ClientMessage.PointerEvent p -> {
                input.pointer(p.buttons(), p.x(), p.y(), width, height);
                pressedSomething |= p.buttons() != 0;
            }
            case ClientMessage.CutText t -> { } // no clipboard to the guest
            case ClientMessage.ContinuousUpdates c -> { } // never acknowledged, so never enabled
            case ClientMessage.Fence f -> { } // we never send a fence to answer
            case ClientMessage.SetDesktopSize s -> {
                refusedResize = true; // the guest picks its mode
                hub.request(screen, true, 0, 0, 0, 0);
            }
        }
    }

    // ---- loop thread ----

    private void offer(Frame f) {
        if (!frames.offer(f)) throw new IllegalStateException("viewer " + id + " got a frame while sending one");
    }

    // ---- writer thread ----

    private void write() {
        try {
            while (!closed) {
                Frame f = frames.take();
                send(f, settings);
                hub.sent(screen);
            }
        } catch (InterruptedException e) {
            // closing
        } catch (IOException e) {
            drop(closed ? null : "left (" + e.getMessage() + ") after " + updates + " updates, " + copyRects + " CopyRects");
        } catch (RuntimeException e) {
            if (!closed) log.warn("viewer {}: unexpected error", id, e); // after a drop: the buffer went away under it
            drop("dropped after an internal error: " + e);
        } finally {
            if (tight != null) tight.close();
            hub.leave(screen); // only now: the loop frees the copy buffer this thread read
        }
    }

    private void send(Frame f, ViewerSettings s) throws IOException {
        RectEncoder enc = encoder(s);
        boolean sizeRect = s.resizable() && (f.resized() || (s.extendedDesktopSize() && (announceSize || refusedResize)));
        boolean refused = refusedResize && s.extendedDesktopSize();
        announceSize = false;
        refusedResize = false;
        boolean cursorRect = f.cursor() != null && s.cursor();
        java.util.List<CopyRect> copies = f.copies();
        if (!copies.isEmpty() && !s.copyRect()) { // it no longer decodes CopyRect: those areas go as pixels next time
            hub.unsent(screen, copies);
            copies = java.util.List.of();
        }
        int rects = (sizeRect ? 1 : 0) + (cursorRect ? 1 : 0) + copies.size() + (f.rect() != null ? enc.rectCount(f.rect()) : 0);
        out.u8(FRAMEBUFFER_UPDATE).u8(0).u16(s.lastRect() ? 0xffff : rects);
        if (sizeRect) {
            width = f.width();
            height = f.height();
            if (s.extendedDesktopSize()) {
                // x = reason (0 server, 1 this client), y = status (0 ok, 1 prohibited); one screen
                RectEncoder.header(out, refused ? 1 : 0, refused ? 1 : 0, f.width(), f.height(), ENC_EXTENDED_DESKTOP_SIZE);
                out.u8(1).u8(0).u8(0).u8(0);
                out.u32(0).u16(0).u16(0).u16(f.width()).u16(f.height()).u32(0);
            } else {
                RectEncoder.header(out, 0, 0, f.width(), f.height(), ENC_DESKTOP_SIZE);
            }
        }
        if (cursorRect) cursor(f.cursor(), s.format());
        for (CopyRect c : copies) { // before the pixels: they copy what the viewer has, as the hub queued them
            DamageRect d = c.dst();
            RectEncoder.header(out, d.x(), d.y(), d.width(), d.height(), ENC_COPY_RECT);
            out.u16((int) c.srcX()).u16((int) c.srcY());
        }
        copyRects += copies.size();
        if (f.rect() != null) enc.write(out, s.format(), f.rect(), f.pixels());
        if (s.lastRect()) RectEncoder.header(out, 0, 0, 0, 0, ENC_LAST_RECT);
        out.flush();
        updates++;
    }

    private RectEncoder encoder(ViewerSettings s) {
        if (s.encoding() != ENC_TIGHT) return raw;
        if (tight == null) tight = new TightEncoder(s.compressLevel());
        else tight.level(s.compressLevel());
        return tight;
    }

    /** Cursor pseudo-encoding: the image in the viewer's format, then a 1-bit mask (alpha >= 128 shows). */
    private void cursor(CursorShape c, RfbPixelFormat f) throws IOException {
        int w = c.hidden() ? 1 : c.width(), h = c.hidden() ? 1 : c.height();
        RectEncoder.header(out, c.hotX(), c.hotY(), w, h, ENC_CURSOR);
        byte[] px = new byte[w * h * 4];
        int n = 0;
        for (int i = 0; i < w * h; i++) n = f.put(px, n, f.value(c.hidden() ? 0 : c.argb()[i] & 0xffffff));
        out.bytes(px, 0, n);
        int rowBytes = (w + 7) / 8;
        byte[] mask = new byte[rowBytes * h];
        if (!c.hidden()) {
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    if ((c.argb()[y * w + x] >>> 24) >= 0x80) mask[y * rowBytes + x / 8] |= (byte) (0x80 >> (x % 8));
        }
        out.bytes(mask);
    }

    // ---- any thread ----

    /** Watchdog: drops the viewer if its handshake or its socket stalled too long. */
    void check(long now) {
        if (closed) return;
        if (!ready && now - acceptedAt > config.handshakeTimeout().toNanos()) {
            drop("dropped: no handshake within " + config.handshakeTimeout().toSeconds() + " s");
            return;
        }
        long since = out.stalledSinceNanos();
        if (since != 0 && now - since > config.stallTimeout().toNanos()) {
            drop("dropped: it took no bytes for " + config.stallTimeout().toMillis() + " ms with an update of its own waiting ("
                    + updates + " updates, " + out.bytesWritten() + " bytes sent before)");
        }
    }

    boolean isClosed() { return closed; }
    boolean isReady() { return ready; }
    String dropReason() { return dropReason; }

    /** Closes the connection once; {@code why} is logged (null: quietly). */
    void drop(String why) {
        synchronized (this) {
            if (closed) return;
            closed = true;
            dropReason = why;
        }
        server.gone(this); // counted out before the viewer can see its socket close
        if (pressedSomething) input.releaseAll(); // a viewer gone mid-press must not leave a key down in the guest
        if (why != null) log.info("viewer {} ({}) {}", id, peer, why);
        closeChannel(); // wakes a reader or writer blocked in the socket
        Thread w = writer;
        if (w != null) w.interrupt(); // its finally leaves the hub
        else hub.leave(screen);
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
