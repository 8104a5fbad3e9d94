package dev.panamavgpu.vnc;

import dev.panamavgpu.input.InputSink;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RFB server: a listening socket bound at setup ({@link #bind}, before any sandbox forbids
 * new sockets), an accept thread started later ({@link #start}), a viewer per connection (two
 * virtual threads each, see {@link Viewer}) and a watchdog that drops viewers whose handshake or
 * socket stalls. The screen comes from a {@link ScreenHub} on the device's loop thread.
 */
public final class VncServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(VncServer.class);
    static final long WATCHDOG_MILLIS = 100;

    private final VncConfig config;
    private final ScreenHub hub;
    private final InputSink input;
    private final ServerSocketChannel listener;
    private final List<Viewer> viewers = new CopyOnWriteArrayList<>();
    private final List<Viewer> refusing = new CopyOnWriteArrayList<>(); // being told "too many viewers"; as many at most
    private final AtomicInteger ids = new AtomicInteger();
    private volatile boolean closed;
    private Thread acceptor, watchdog;

    private VncServer(VncConfig config, ScreenHub hub, InputSink input, ServerSocketChannel listener) {
        this.config = config;
        this.hub = hub;
        this.input = input;
        this.listener = listener;
    }

    /** Binds the listening socket now; nothing is accepted before {@link #start}. */
    public static VncServer bind(VncConfig config, ScreenHub hub, InputSink input) throws IOException {
        // DES, the random source and zlib are loaded now: a sandbox entered after setup may deny the files they open
        if (config.password() != null) new VncAuth(config.password()).response(VncAuth.challenge());
        new java.util.zip.Deflater(1).end();
        ServerSocketChannel ch;
        if (config.address() instanceof VncAddress.Unix u) {
            Path p = u.path();
            if (Files.exists(p) && !Files.isRegularFile(p) && !Files.isDirectory(p)) Files.delete(p); // a stale socket
            ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(u.socketAddress());
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        } else {
            ch = ServerSocketChannel.open();
            ch.bind(config.address().socketAddress());
        }
        return new VncServer(config, hub, input, ch);
    }

    /** The bound address (the port, if 0 was asked for). */
    public String localAddress() {
        try {
            if (config.address() instanceof VncAddress.Unix u) return u.toString();
            var a = (java.net.InetSocketAddress) listener.getLocalAddress();
            return a.getHostString() + ":" + a.getPort();
        } catch (IOException e) {
            return config.address().toString();
        }
    }

    public int port() {
        try {
            return ((java.net.InetSocketAddress) listener.getLocalAddress()).getPort();
        } catch (IOException | ClassCastException e) {
            return -1;
        }
    }

    public ScreenHub hub() { return hub; }

    public VncServer start() {
        acceptor = Thread.ofPlatform().name("vnc-accept").daemon().start(this::acceptLoop);
        watchdog = Thread.ofPlatform().name("vnc-watchdog").daemon().start(this::watch);
        log.info("VNC listening on {} ({})", localAddress(), config.password() != null ? "VNC authentication" : "no authentication");
        return this;
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel c;
            try {
                c = listener.accept();
            } catch (IOException e) {
                if (!closed) log.warn("VNC accept failed, no more viewers: {}", e.getMessage());
                return;
            }
            Viewer v = new Viewer(ids.incrementAndGet(), c, this, hub, input, config);
            if (viewers.size() >= config.maxViewers()) {
                log.info("viewer {} ({}) turned away: {} viewers already", v.id, v.peer, viewers.size());
                if (refusing.size() >= config.maxViewers()) {
                    v.drop(null); // a flood: no reason, no thread
                } else {
                    refusing.add(v); // the watchdog bounds its handshake like any other
                    v.turnAway("too many viewers");
                }
                continue;
            }
            viewers.add(v);
            v.start();
        }
    }

    private void watch() {
        while (!closed) {
            long now = System.nanoTime();
            for (Viewer v : viewers) v.check(now);
            for (Viewer v : refusing) v.check(now);
            try {
                Thread.sleep(WATCHDOG_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    void gone(Viewer v) {
        viewers.remove(v);
        refusing.remove(v);
    }

    /** Viewers connected or in their handshake. */
    public int viewerCount() { return viewers.size(); }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing
        }
        for (Viewer v : viewers) v.drop(null);
        for (Viewer v : refusing) v.drop(null);
        if (watchdog != null) watchdog.interrupt();
        if (config.address() instanceof VncAddress.Unix u) {
            try {
                Files.deleteIfExists(u.path());
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}
