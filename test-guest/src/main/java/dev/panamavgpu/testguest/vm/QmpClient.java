package dev.panamavgpu.testguest.vm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** A minimal QMP client over a UNIX socket (JDK only). One command at a time. */
public final class QmpClient implements AutoCloseable {
    /** An {@code {"error": ...}} answer. */
    public static final class QmpException extends IOException {
        private static final long serialVersionUID = 1L;

        public QmpException(String message) { super(message); }
    }

    private static final Object EOF = new Object();

    private final SocketChannel channel;
    private final BlockingQueue<Object> replies = new LinkedBlockingQueue<>();
    private final List<Map<String, Object>> events = new ArrayList<>();
    private final Map<String, Object> greeting;
    private final Thread reader;
    private final Consumer<String> trace;
    private volatile boolean closed;

    private QmpClient(SocketChannel channel, Consumer<String> trace) throws IOException {
        this.channel = channel;
        this.trace = trace;
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        String first = in.readLine();
        if (first == null) throw new IOException("QMP closed before greeting");
        trace.accept("<- " + first);
        greeting = Json.parseObject(first);
        if (!greeting.containsKey("QMP")) throw new IOException("not a QMP greeting: " + first);
        reader = Thread.ofPlatform().daemon().name("qmp-reader").start(() -> readLoop(in));
    }

    /** Connects (retrying until {@code timeout}) and negotiates capabilities. */
    public static QmpClient connect(Path socket, Duration timeout, Consumer<String> trace) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        IOException last = null;
        while (System.nanoTime() < deadline) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
                QmpClient c = new QmpClient(ch, trace == null ? s -> {} : trace);
                c.execute("qmp_capabilities", null, Duration.ofSeconds(30));
                return c;
            } catch (IOException e) {
                last = e;
                ch.close();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw new IOException("cannot connect to QMP at " + socket + " within " + timeout, last);
    }

    public Map<String, Object> greeting() { return greeting; }

    private void readLoop(BufferedReader in) {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                trace.accept("<- " + line);
                Map<String, Object> msg;
                try {
                    msg = Json.parseObject(line);
                } catch (IllegalArgumentException e) {
                    continue;
                }
                if (msg.containsKey("event")) {
                    synchronized (events) {
                        events.add(msg);
                        events.notifyAll();
                    }
                } else {
                    replies.add(msg);
                }
            }
        } catch (IOException e) {
            // closed
        } finally {
            replies.add(EOF);
            synchronized (events) {
                events.notifyAll();
            }
        }
    }

    /**
     * Runs a command and returns its {@code return} value.
     *
     * @param arguments the {@code arguments} object, or null
     * @throws QmpException for an {@code error} answer
     */
    @SuppressWarnings("unchecked")
    public synchronized Object execute(String command, Map<String, Object> arguments, Duration timeout) throws IOException {
        if (closed) throw new IOException("QMP closed");
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("execute", command);
        if (arguments != null) msg.put("arguments", arguments);
        String text = Json.write(msg);
        trace.accept("-> " + text);
        ByteBuffer buf = ByteBuffer.wrap((text + "\n").getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) channel.write(buf);
        Object reply;
        try {
            reply = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (reply == null) throw new IOException("QMP " + command + ": no answer within " + timeout);
        if (reply == EOF) {
            replies.add(EOF);
            throw new IOException("QMP connection closed during " + command);
        }
        Map<String, Object> r = (Map<String, Object>) reply;
        if (r.containsKey("error")) {
            Object err = r.get("error");
            String desc = err instanceof Map<?, ?> m ? m.get("class") + ": " + m.get("desc") : String.valueOf(err);
            throw new QmpException("QMP " + command + " failed: " + desc);
        }
        return r.get("return");
    }

    /** All events received so far (copy). */
    public List<Map<String, Object>> events() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    /** Waits until an event named {@code name} arrives at index {@code >= fromIndex} of {@link #events()}. */
    public Map<String, Object> awaitEvent(String name, int fromIndex, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (int k = fromIndex; k < events.size(); k++)
                    if (name.equals(events.get(k).get("event"))) return events.get(k);
                long left = deadline - System.nanoTime();
                if (left <= 0) throw new IOException("no QMP event " + name + " within " + timeout);
                if (!reader.isAlive()) throw new IOException("QMP closed while waiting for event " + name);
                try {
                    events.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing
        }
    }
}
