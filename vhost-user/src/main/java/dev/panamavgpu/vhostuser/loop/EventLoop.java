package dev.panamavgpu.vhostuser.loop;

import dev.panamavgpu.ffm.Epoll;
import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.EventFd;
import dev.panamavgpu.ffm.Fd;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-threaded epoll loop: descriptor watches, timers, and tasks handed over from other
 * threads through a wakeup eventfd. Everything registered here runs on the loop thread, so the
 * state it touches needs no locks. Only {@link #execute} and {@link #stop} may be called from other
 * threads.
 */
public final class EventLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);
    private static final long WAKEUP_TOKEN = 0;

    /** Called on the loop thread with the epoll event bits. */
    @FunctionalInterface
    public interface IoHandler {
        void onReady(int events);
    }

    private final Epoll epoll;
    private final Fd wakeup;
    private final Map<Long, Watch> watches = new HashMap<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private long nextToken = 1;
    private long timerSeq;
    private volatile boolean running = true;
    private volatile Thread thread;

    public EventLoop() throws ErrnoException {
        this.epoll = new Epoll(64);
        this.wakeup = EventFd.create(true);
        epoll.add(wakeup.get(), Epoll.EPOLLIN, WAKEUP_TOKEN);
    }

    /** A registered descriptor; cancel before closing the descriptor. */
    public final class Watch {
        private final int fd;
        private final long token;
        private final IoHandler handler;
        private int interest;

        private Watch(int fd, long token, int interest, IoHandler handler) {
            this.fd = fd;
            this.token = token;
            this.interest = interest;
            this.handler = handler;
        }

        public void setInterest(int newInterest) {
            if (newInterest == interest || !watches.containsKey(token)) return;
            try {
                epoll.modify(fd, newInterest, token);
                interest = newInterest;
            } catch (ErrnoException e) {
                throw new IllegalStateException("epoll modify fd " + fd, e);
            }
        }

        public int interest() { return interest; }

        public void cancel() {
            if (watches.remove(token) == null) return;
            try { epoll.remove(fd); } catch (ErrnoException e) { log.debug("epoll remove fd {}: {}", fd, e.getMessage()); }
        }
    }

    /** A pending timer; cancel is idempotent. */
    public static final class Timer implements Comparable<Timer> {
        private final long deadline;
        private final long seq;
        private final Runnable action;
        private boolean cancelled;

        private Timer(long deadline, long seq, Runnable action) {
            this.deadline = deadline;
            this.seq = seq;
            this.action = action;
        }

        public void cancel() { cancelled = true; }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(deadline - o.deadline, 0);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    public Watch watch(int fd, int interest, IoHandler handler) throws ErrnoException {
        long token = nextToken++;
        Watch w = new Watch(fd, token, interest, handler);
        epoll.add(fd, interest, token);
        watches.put(token, w);
        return w;
    }

    public Timer schedule(long delayMillis, Runnable action) {
        Timer t = new Timer(System.nanoTime() + delayMillis * 1_000_000L, timerSeq++, action);
        timers.add(t);
        return t;
    }

    /** Runs {@code task} on the loop thread soon. Safe from any thread. */
    public void execute(Runnable task) {
        tasks.add(task);
        wake();
    }

    /** Makes {@link #run} return after the current turn. Safe from any thread. */
    public void stop() {
        running = false;
        wake();
    }

    public boolean inLoopThread() { return Thread.currentThread() == thread; }
    public int watchCount() { return watches.size(); }

    /** Runs until {@link #stop}. */
    public void run() {
        thread = Thread.currentThread();
        try {
            while (running) turn(timeoutMillis());
        } catch (ErrnoException e) {
            log.error("event loop failed: {}", e.getMessage());
        } finally {
            thread = null;
        }
    }

    /**
     * One turn without waiting: what is ready now, then the tasks and due timers. Lets a test or a
     * fuzz target drive the loop step by step on its own thread (instead of {@link #run}).
     */
    public void runOnce() throws ErrnoException {
        thread = Thread.currentThread();
        try {
            turn(0);
        } finally {
            thread = null;
        }
    }

    private void turn(int timeoutMillis) throws ErrnoException {
        int n = epoll.await(timeoutMillis);
        for (int i = 0; i < n && running; i++) {
            long token = epoll.readyToken(i);
            int events = epoll.readyEvents(i);
            if (token == WAKEUP_TOKEN) {
                EventFd.drain(wakeup.get());
                continue;
            }
            Watch w = watches.get(token);
            if (w != null) dispatch(w, events);
        }
        runTasks();
        runTimers();
    }

    private void dispatch(Watch w, int events) {
        try {
            w.handler.onReady(events);
        } catch (RuntimeException | Error e) {
            // A handler bug must not take the loop (and every other watch) down with it, nor spin
            // on a level-triggered event: the watch is dropped after one logged failure.
            log.error("handler for fd {} failed; the fd is no longer watched", w.fd, e);
            w.cancel();
        }
    }

    private void runTasks() {
        Runnable r;
        while ((r = tasks.poll()) != null) {
            try { r.run(); } catch (RuntimeException e) { log.error("loop task failed", e); }
        }
    }

    private void runTimers() {
        long now = System.nanoTime();
        while (!timers.isEmpty() && timers.peek().deadline - now <= 0) {
            Timer t = timers.poll();
            if (t.cancelled) continue;
            try { t.action.run(); } catch (RuntimeException e) { log.error("timer failed", e); }
        }
    }

    private int timeoutMillis() {
        if (!tasks.isEmpty()) return 0;
        while (!timers.isEmpty() && timers.peek().cancelled) timers.poll();
        if (timers.isEmpty()) return -1;
        long ms = (timers.peek().deadline - System.nanoTime() + 999_999) / 1_000_000;
        return (int) Math.max(0, Math.min(ms, Integer.MAX_VALUE));
    }

    private void wake() {
        try {
            if (wakeup.isOpen()) EventFd.signal(wakeup.get(), 1);
        } catch (ErrnoException | IllegalStateException e) {
            // closed concurrently: the loop is gone, nothing to wake
        }
    }

    @Override
    public void close() {
        watches.clear();
        timers.clear();
        epoll.close();
        wakeup.close();
    }
}
