package dev.panamavgpu.vhostuser.loop;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The life of one platform thread running an {@link EventLoop}: start, run until stopped, then
 * clean up on that same thread (what the loop owns is released by its owner), and let others wait
 * for the end. A server (vhost-user, ivshmem, one VM of many) hands it its loop and its cleanup.
 */
public final class LoopThread {
    private static final Logger log = LoggerFactory.getLogger(LoopThread.class);
    /** How long {@link #close} waits for the loop to end. */
    static final long CLOSE_WAIT_SECONDS = 10;

    private final EventLoop loop;
    private final Thread thread;
    private final Runnable cleanup;
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** {@code cleanup} runs on the loop thread once the loop has ended (also if it never served). */
    public LoopThread(EventLoop loop, String name, Runnable cleanup) {
        this.loop = loop;
        this.cleanup = cleanup;
        this.thread = new Thread(this::run, name);
    }

    public synchronized LoopThread start() {
        thread.start();
        return this;
    }

    public EventLoop loop() { return loop; }
    public String name() { return thread.getName(); }
    public boolean onThread() { return Thread.currentThread() == thread; }
    public boolean started() { return thread.getState() != Thread.State.NEW; }
    public boolean ended() { return stopped.getCount() == 0; }

    private void run() {
        try {
            loop.run();
        } finally {
            try {
                cleanup.run();
            } catch (RuntimeException | Error e) {
                log.error("{}: cleanup failed", thread.getName(), e);
            } finally {
                loop.close();
                stopped.countDown();
            }
        }
    }

    /** Waits until the loop has ended and its cleanup ran. */
    public boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }

    /**
     * Stops the loop and waits for its cleanup; safe from any thread (from the loop's own it only
     * asks). A loop that never started is started so that its cleanup still runs on its own thread.
     */
    public void close() {
        loop.stop();
        if (onThread()) return;
        synchronized (this) {
            if (thread.getState() == Thread.State.NEW) thread.start(); // runs no turn: the loop is stopped
        }
        try {
            if (!stopped.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) log.warn("{} did not stop within {} s", thread.getName(), CLOSE_WAIT_SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
