package dev.panamavgpu.cli;

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
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --stats-socket}: whoever connects gets the current figures as text and the socket closes
 * ({@code panama-vgpu --stats PATH}, or {@code socat - UNIX-CONNECT:PATH}). Its own daemon thread
 * accepts; the figures come from {@code figures}, which fetches them on the loop thread that owns
 * them, so nothing here touches device state.
 */
final class StatsServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatsServer.class);
    /** The most of an answer {@link #query} reads. */
    static final int MAX_ANSWER = 16 << 20;

    private final ServerSocketChannel channel;
    private final Path path;
    private final Thread thread;

    private StatsServer(ServerSocketChannel channel, Path path, Supplier<String> figures) {
        this.channel = channel;
        this.path = path;
        this.thread = new Thread(() -> serve(figures), "stats");
        thread.setDaemon(true);
    }

    static StatsServer start(Path path, Supplier<String> figures) throws IOException {
        return bind(path, figures).start();
    }

    /** Binds; nothing is answered before {@link #start} (so that a sandbox can be entered in between). */
    static StatsServer bind(Path path, Supplier<String> figures) throws IOException {
        Files.deleteIfExists(path);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------")); // figures are the owner's business
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new StatsServer(ch, path, figures);
    }

    StatsServer start() {
        thread.start();
        return this;
    }

    private void serve(Supplier<String> figures) {
        while (channel.isOpen()) {
            try (SocketChannel c = channel.accept()) {
                ByteBuffer b = ByteBuffer.wrap(figures.get().getBytes(StandardCharsets.US_ASCII));
                while (b.hasRemaining()) c.write(b);
            } catch (IOException e) {
                if (channel.isOpen()) log.debug("stats client: {}", e.getMessage());
            }
        }
    }

    /** Reads what a stats socket answers (the client side of {@code --stats}). */
    static String query(Path path) throws IOException {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            // until the server closes; with many VMs (--max-vms) the figures run to a few hundred KiB at most
            byte[] all = java.nio.channels.Channels.newInputStream(c).readNBytes(MAX_ANSWER);
            return new String(all, StandardCharsets.US_ASCII);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            log.debug("closing stats socket: {}", e.getMessage());
        }
    }
}
