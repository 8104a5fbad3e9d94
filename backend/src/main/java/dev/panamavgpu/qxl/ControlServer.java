package dev.panamavgpu.qxl;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A line-oriented control socket for a QXL device. One request line per connection:
 * <ul>
 *   <li>{@code png FILE}: writes the primary surface to FILE as PNG; answers {@code ok WIDTH HEIGHT}</li>
 *   <li>{@code png}: answers {@code ok WIDTH HEIGHT LENGTH} followed by LENGTH bytes of PNG</li>
 *   <li>{@code stats}: answers {@code ok key=value ...}</li>
 * </ul>
 * Errors answer {@code err TEXT}. Threads: one acceptor thread, one virtual thread per connection;
 * the device state is only read through {@link QxlDevice}'s loop-thread hand-offs, and PNG encoding
 * and file writing happen here, never on the device loop.
 */
public final class ControlServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ControlServer.class);
    private static final int MAX_LINE = 4096;

    private final QxlDevice device;
    private final Path path;
    private final ServerSocketChannel channel;
    private final Thread acceptor;

    private ControlServer(QxlDevice device, Path path, ServerSocketChannel channel) {
        this.device = device;
        this.path = path;
        this.channel = channel;
        this.acceptor = Thread.ofPlatform().name("qxl-control").daemon().unstarted(this::acceptLoop);
    }

    /** Binds and starts accepting. */
    public static ControlServer listen(QxlDevice device, Path path) throws IOException {
        return bind(device, path).start();
    }

    /** Binds; nothing is accepted before {@link #start} (so that a sandbox can be entered in between). */
    public static ControlServer bind(QxlDevice device, Path path) throws IOException {
        Files.deleteIfExists(path);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new ControlServer(device, path, ch);
    }

    public ControlServer start() {
        acceptor.start();
        return this;
    }

    private void acceptLoop() {
        while (channel.isOpen()) {
            try {
                SocketChannel c = channel.accept();
                Thread.ofVirtual().name("qxl-control-conn").start(() -> serve(c));
            } catch (IOException e) {
                if (channel.isOpen()) log.warn("control socket accept: {}", e.getMessage());
                return;
            }
        }
    }

    private void serve(SocketChannel c) {
        try (c) {
            String line = readLine(c);
            if (line == null) return;
            String[] w = line.strip().split("\\s+", 2);
            switch (w[0]) {
                case "png" -> png(c, w.length > 1 ? w[1] : null);
                case "stats" -> reply(c, "ok " + device.stats().get(5, TimeUnit.SECONDS).toString().replace(", ", " ") + "\n");
                default -> reply(c, "err unknown command (png [FILE] | stats)\n");
            }
        } catch (Exception e) {
            log.debug("control connection: {}", e.toString());
        }
    }

    private void png(SocketChannel c, String file) throws Exception {
        QxlDevice.Snapshot s = device.snapshotPrimary().get(10, TimeUnit.SECONDS);
        if (s == null) {
            reply(c, "err no primary surface\n");
            return;
        }
        byte[] png = PngWriter.encode(s.width(), s.height(), s.xrgb());
        if (file != null) {
            try {
                Files.write(Path.of(file), png);
            } catch (IOException e) { // e.g. outside the directories the sandbox lets us write
                reply(c, "err cannot write " + file + ": " + e + "\n");
                return;
            }
            reply(c, "ok " + s.width() + " " + s.height() + "\n");
        } else {
            reply(c, "ok " + s.width() + " " + s.height() + " " + png.length + "\n");
            ByteBuffer b = ByteBuffer.wrap(png);
            while (b.hasRemaining()) c.write(b);
        }
    }

    private static void reply(SocketChannel c, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) c.write(b);
    }

    private static String readLine(SocketChannel c) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(MAX_LINE);
        while (b.hasRemaining()) {
            int n = c.read(b);
            if (n < 0) break;
            for (int i = b.position() - n; i < b.position(); i++) {
                if (b.get(i) == '\n') return new String(b.array(), 0, i, StandardCharsets.UTF_8);
            }
        }
        return b.position() == 0 ? null : new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            channel.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.debug("control socket close: {}", e.getMessage());
        }
    }
}
