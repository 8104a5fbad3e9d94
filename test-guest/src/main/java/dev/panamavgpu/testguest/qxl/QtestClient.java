package dev.panamavgpu.testguest.qxl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * QEMU's qtest protocol (the test listens, QEMU connects with {@code -qtest unix:PATH}): port I/O,
 * physical memory reads and writes as text lines answered with "OK [value]". Enough to play a guest
 * CPU against a real device model without booting anything.
 */
public final class QtestClient implements AutoCloseable {
    private final ServerSocketChannel listener;
    private SocketChannel channel;
    private BufferedReader in;
    private OutputStream out;

    public QtestClient(Path socket) throws IOException {
        Files.deleteIfExists(socket);
        listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listener.bind(UnixDomainSocketAddress.of(socket));
    }

    /** Waits for QEMU to connect (blocking accept). */
    public void accept() throws IOException {
        channel = listener.accept();
        in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.US_ASCII));
        out = Channels.newOutputStream(channel);
    }

    private String call(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        while (true) {
            String r = in.readLine();
            if (r == null) throw new IOException("qtest connection closed after: " + line);
            if (r.startsWith("IRQ")) continue; // asynchronous notices
            if (!r.startsWith("OK")) throw new IOException("qtest '" + line + "' answered: " + r);
            return r;
        }
    }

    private long value(String line) throws IOException {
        String[] w = call(line).split(" ");
        return Long.decode(w[1]);
    }

    public void outl(int port, long v) throws IOException { call(String.format("outl 0x%x 0x%x", port, v)); }
    public long inl(int port) throws IOException { return value(String.format("inl 0x%x", port)); }
    public void writel(long addr, long v) throws IOException { call(String.format("writel 0x%x 0x%x", addr, v)); }
    public long readl(long addr) throws IOException { return value(String.format("readl 0x%x", addr)); }

    /** PCI configuration space through the 0xcf8/0xcfc mechanism of the PC chipsets. */
    public long pciRead(int dev, int reg) throws IOException {
        outl(0xcf8, 0x80000000L | ((long) dev << 11) | (reg & 0xfc));
        return inl(0xcfc);
    }

    public void pciWrite(int dev, int reg, long v) throws IOException {
        outl(0xcf8, 0x80000000L | ((long) dev << 11) | (reg & 0xfc));
        outl(0xcfc, v);
    }

    @Override
    public void close() throws IOException {
        if (channel != null) channel.close();
        listener.close();
    }
}
