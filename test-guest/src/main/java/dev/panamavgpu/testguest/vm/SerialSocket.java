package dev.panamavgpu.testguest.vm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;

/**
 * A guest's serial console offered by QEMU on a UNIX socket (libvirt's {@code <serial type='unix'>}
 * in bind mode), with the same line protocol as {@link QemuVm}: lines are collected on a reader
 * thread (appended to a log file), {@link #awaitAny} waits for a marker after the last one matched,
 * {@link #sendLine} writes to the guest. One connection per QEMU process.
 */
public final class SerialSocket implements AutoCloseable {
    private final SocketChannel channel;
    private final Writer log;
    private final long startNanos = System.nanoTime();
    private final List<String> lines = new ArrayList<>();
    private boolean eof;
    private int cursor;
    private final Thread reader;

    private SerialSocket(SocketChannel channel, Writer log) {
        this.channel = channel;
        this.log = log;
        this.reader = Thread.ofPlatform().daemon().name("serial-socket").start(this::read);
    }

    /** Connects, retrying until the socket exists and accepts or {@code timeout} passes. */
    public static SerialSocket connect(Path socket, Path logFile, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                Writer w = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
                return new SerialSocket(ch, w);
            } catch (IOException e) {
                if (System.nanoTime() > deadline) throw new IOException("serial console " + socket + ": " + e.getMessage(), e);
                sleep(100);
            }
        }
    }

    private void read() {
        ByteBuffer buf = ByteBuffer.allocate(4096);
        ByteArrayOutputStream cur = new ByteArrayOutputStream();
        try {
            while (channel.read(buf.clear()) > 0) {
                for (int k = 0; k < buf.position(); k++) {
                    byte b = buf.get(k);
                    if (b == '\n') {
                        add(cur.toString(StandardCharsets.ISO_8859_1));
                        cur.reset();
                    } else if (b != '\r') {
                        cur.write(b);
                    }
                }
            }
        } catch (IOException e) {
            // closed: QEMU ended or close() was called
        } finally {
            synchronized (lines) {
                eof = true;
                lines.notifyAll();
            }
        }
    }

    private void add(String text) {
        synchronized (lines) {
            lines.add(text);
            lines.notifyAll();
            write(String.format(Locale.ROOT, "[%9.3f] %s%n", (System.nanoTime() - startNanos) / 1e9, text));
        }
    }

    private void write(String s) {
        try {
            log.write(s);
            log.flush();
        } catch (IOException ignored) {
            // the log is a diagnostic
        }
    }

    /** The first line after the last match that contains any of {@code markers}. */
    public String awaitAny(Duration timeout, String... markers) throws IOException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (; cursor < lines.size(); cursor++) {
                    String l = lines.get(cursor);
                    for (String m : markers) {
                        if (l.contains(m)) {
                            cursor++;
                            return l;
                        }
                    }
                }
                if (eof) throw new IOException("serial console closed while waiting for " + String.join(" | ", markers));
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new TimeoutException("no serial line with " + String.join(" | ", markers) + " within " + timeout);
                try {
                    lines.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        }
    }

    /** Makes the next await look only at lines that arrive from now on. */
    public void skipExistingLines() {
        synchronized (lines) {
            cursor = lines.size();
        }
    }

    public void sendLine(String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.ISO_8859_1));
        synchronized (channel) {
            while (b.hasRemaining()) channel.write(b);
        }
        synchronized (lines) {
            write(String.format(Locale.ROOT, "[%9.3f] >>> %s%n", (System.nanoTime() - startNanos) / 1e9, text));
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing
        }
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lines) {
            try {
                log.close();
            } catch (IOException ignored) {
                // nothing
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
