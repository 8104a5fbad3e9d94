package dev.panamavgpu.input;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.vhostuser.backend.VhostUserServer;
import dev.panamavgpu.vhostuser.loop.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The input device as the executable serves it: a {@link VhostUserServer} of its own (socket, loop
 * thread {@code input-loop}) for QEMU's {@code vhost-user-input-pci}, and the {@link InputSink} the
 * remote display feeds. Sink calls come from viewer threads: they translate under a lock, queue the
 * report in the bounded {@link PendingReports} and nudge the loop (at most one nudge outstanding), which
 * fills the guest's buffers in the device's fault scope.
 */
public final class InputService implements InputSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(InputService.class);
    /** Reports kept while the guest takes none: a few seconds of typing, a fraction of a KiB each. */
    public static final int PENDING_REPORTS = 256;

    private final VhostUserServer server;
    private final PendingReports pending = new PendingReports(PENDING_REPORTS);
    private final EventTranslator translator = new EventTranslator(); // guarded by itself
    private final InputFigures.Counters counters = new InputFigures.Counters(); // loop thread
    private final AtomicBoolean nudged = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private VirtioInputDevice current; // loop thread

    private InputService(String path, int mode) throws ErrnoException {
        this.server = VhostUserServer.listen(path, mode, () -> {
            synchronized (translator) {
                translator.forgetPressed(); // a new guest driver knows nothing pressed
            }
            current = new VirtioInputDevice(pending, counters);
            return current;
        }, "input-loop");
    }

    /** Binds {@code path} (permission bits {@code mode}); {@link #start} serves it. */
    public static InputService listen(String path, int mode) throws ErrnoException {
        return new InputService(path, mode);
    }

    public InputService start() {
        server.start();
        return this;
    }

    @Override
    public void key(int keysym, int keycode, boolean down) {
        InputReport r;
        synchronized (translator) {
            r = translator.key(keysym, keycode, down);
        }
        if (r != null) enqueue(r);
    }

    @Override
    public void pointer(int buttonMask, int x, int y, int width, int height) {
        InputReport r;
        synchronized (translator) {
            r = translator.pointer(buttonMask, x, y, width, height);
        }
        if (r != null) enqueue(r);
    }

    @Override
    public void releaseAll() {
        InputReport r;
        synchronized (translator) {
            r = translator.releaseAll();
        }
        if (r != null) enqueue(r);
    }

    private void enqueue(InputReport r) {
        pending.offer(r);
        if (nudged.compareAndSet(false, true)) {
            EventLoop loop = server.loop();
            loop.execute(() -> {
                nudged.set(false); // reports offered from now on get a nudge of their own
                if (current != null) current.deliverSoon();
            });
        }
    }

    /** From any thread: the figures, asked of the loop (2 s at most). */
    public InputFigures figures() {
        try {
            if (server.awaitStop(0, TimeUnit.SECONDS)) return figuresNow(); // the loop has ended: its state is ours
            CompletableFuture<InputFigures> f = new CompletableFuture<>();
            server.loop().execute(() -> f.complete(figuresNow()));
            return f.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            return figuresNow(); // no answer: a racy read of counters beats none in a log line
        }
    }

    private InputFigures figuresNow() {
        long unknown;
        synchronized (translator) {
            unknown = translator.unknownKeys();
        }
        return new InputFigures(counters.eventsDelivered, pending.size(), pending.dropped(), pending.coalesced(), unknown,
                counters.statusBuffers, counters.badBuffers, counters.returnedAtStop);
    }

    public boolean hasActiveConnection() { return server.hasActiveConnection(); }

    public boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return server.awaitStop(timeout, unit);
    }

    /** Stops serving and logs the figures once; safe from any thread. */
    @Override
    public void close() {
        server.close();
        if (closed.compareAndSet(false, true)) log.info("input figures at exit: {}", figures().oneLine());
    }
}
