package dev.panamavgpu.vhostuser.loop;

import dev.panamavgpu.ffm.Epoll;
import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.EventFd;
import dev.panamavgpu.ffm.Fd;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-threaded epoll loop: descriptor watches, timers, and tasks handed over from other
 * threads through a wakeup eventfd. Everything registered here runs on the loop thread, so the
 * state it touches needs no locks. Only {@link #execute}, {@link #submit} and {@link #stop} may be
 * called from other threads; {@link #watch}, {@link #schedule}, {@link Watch#setInterest} and
 * {@link Watch#cancel} check it (before the loop runs, or after it ended, the thread that set it up
 * may register).
 *
 * <p>Fault policy (docs/security.md): every watch, timer and task belongs to a {@link FaultScope}.
 * Anything a handler throws, Errors included, goes to that scope, which answers what it can and
 * resets its device or drops its connection; the watch stays registered unless the scope cancels
 * it, so no fd goes silently unwatched. A fault in the loop's own scope (the listening socket, say)
 * is a bug in the server: a watch there stops the loop, a task or timer is logged and skipped.
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
    private final ConcurrentLinkedQueue<Task> tasks = new ConcurrentLinkedQueue<>();
    private final FaultScope own = new OwnScope();
    private FaultScope current;     // scope of the handler running now; loop thread only
    private long nextToken = 1;
    private long timerSeq;
    private volatile boolean running = true;
    private volatile boolean stoppedByFault;
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
        private final FaultScope scope;
        private int interest;

        private Watch(int fd, long token, int interest, IoHandler handler, FaultScope scope) {
            this.fd = fd;
            this.token = token;
            this.interest = interest;
            this.handler = handler;
            this.scope = scope;
        }

        public void setInterest(int newInterest) {
            checkThread("Watch.setInterest");
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
            checkThread("Watch.cancel");
            if (watches.remove(token) == null) return;
            try { epoll.remove(fd); } catch (ErrnoException e) { log.debug("epoll remove fd {}: {}", fd, e.getMessage()); }
        }
    }

    /** A pending timer; cancel is idempotent. */
    public static final class Timer implements Comparable<Timer> {
        private final long deadline;
        private final long seq;
        private final Runnable action;
        private final FaultScope scope;
        private boolean cancelled;

        private Timer(long deadline, long seq, Runnable action, FaultScope scope) {
            this.deadline = deadline;
            this.seq = seq;
            this.action = action;
            this.scope = scope;
        }

        public void cancel() { cancelled = true; }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(deadline - o.deadline, 0);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /** Watches {@code fd} in the scope of the handler running now (the loop's own outside one). */
    public Watch watch(int fd, int interest, IoHandler handler) throws ErrnoException {
        return watch(fd, interest, inherited(), handler);
    }

    public Watch watch(int fd, int interest, FaultScope scope, IoHandler handler) throws ErrnoException {
        checkThread("watch");
        long token = nextToken++;
        Watch w = new Watch(fd, token, interest, handler, scope);
        epoll.add(fd, interest, token);
        watches.put(token, w);
        return w;
    }

    /** A timer in the scope of the handler running now. */
    public Timer schedule(long delayMillis, Runnable action) {
        return schedule(delayMillis, inherited(), action);
    }

    public Timer schedule(long delayMillis, FaultScope scope, Runnable action) {
        checkThread("schedule");
        Timer t = new Timer(System.nanoTime() + delayMillis * 1_000_000L, timerSeq++, action, scope);
        timers.add(t);
        return t;
    }

    /**
     * Runs {@code task} on the loop thread soon. Safe from any thread; from the loop thread it
     * belongs to the scope of the handler running now, from elsewhere to the loop's own.
     */
    public void execute(Runnable task) {
        execute(inLoopThread() ? inherited() : own, task);
    }

    /** Runs {@code task} on the loop thread soon, in {@code scope}. Safe from any thread. */
    public void execute(FaultScope scope, Runnable task) {
        tasks.add(new Task(task, scope));
        if (!inLoopThread()) wake(); // on the loop, the turn runs its tasks before it waits again
    }

    /**
     * Runs {@code what} on the loop thread in the loop's own scope and completes the future with its
     * result, or exceptionally with what it threw. Safe from any thread; the caller decides how long
     * to wait (never on a path the guest waits on).
     */
    public <T> CompletableFuture<T> submit(Supplier<T> what) {
        CompletableFuture<T> f = new CompletableFuture<>();
        execute(own, () -> {
            try {
                f.complete(what.get());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    /**
     * Runs {@code action} now, on the loop thread, as part of {@code scope}: what it registers
     * belongs to that scope. It does not contain faults itself: they belong to the caller's handler.
     */
    public void within(FaultScope scope, Runnable action) {
        FaultScope outer = current;
        current = scope;
        try {
            action.run();
        } finally {
            current = outer;
        }
    }

    private FaultScope inherited() {
        return current != null ? current : own;
    }

    private record Task(Runnable action, FaultScope scope) {}

    /** Makes {@link #run} return after the current turn. Safe from any thread. */
    public void stop() {
        running = false;
        wake();
    }

    public boolean inLoopThread() { return Thread.currentThread() == thread; }

    /** The thread rule: while the loop runs, only its thread registers, changes and cancels. One volatile read. */
    private void checkThread(String what) {
        Thread t = thread;
        if (t != null && t != Thread.currentThread())
            throw new IllegalStateException("EventLoop." + what + " called on thread " + Thread.currentThread().getName()
                    + " while " + t.getName() + " runs the loop; post it with execute()");
    }
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
        current = w.scope;
        try {
            w.handler.onReady(events);
        } catch (Throwable t) {
            fault(w.scope, "handler of fd " + w.fd, t, true);
        } finally {
            current = null;
        }
    }

    private void runTasks() {
        Task t;
        while ((t = tasks.poll()) != null) {
            current = t.scope();
            try {
                t.action().run();
            } catch (Throwable e) {
                fault(t.scope(), "task", e, false);
            } finally {
                current = null;
            }
        }
    }

    private void runTimers() {
        long now = System.nanoTime();
        while (!timers.isEmpty() && timers.peek().deadline - now <= 0) {
            Timer t = timers.poll();
            if (t.cancelled) continue;
            current = t.scope;
            try {
                t.action.run();
            } catch (Throwable e) {
                fault(t.scope, "timer", e, false);
            } finally {
                current = null;
            }
        }
    }

    /** The fault policy: the scope contains it; in the loop's own scope, a failing watch stops the loop. */
    private void fault(FaultScope scope, String where, Throwable t, boolean fromWatch) {
        try {
            scope.contain(where, t);
        } catch (Throwable again) {
            log.error("containing a fault of {} failed, stopping the loop", scope.describe(), again);
            stopOnFault();
            return;
        }
        if (scope == own && fromWatch) stopOnFault();
    }

    private void stopOnFault() {
        stoppedByFault = true;
        running = false;
    }

    /** True once the fault policy stopped the loop (its own watch failed, or a scope could not contain a fault). */
    public boolean stoppedByFault() { return stoppedByFault; }

    /** The loop's own scope: the server's listening sockets and tasks from other threads. */
    private final class OwnScope implements FaultScope {
        @Override public String describe() { return "the event loop"; }

        @Override
        public void contain(String where, Throwable fault) {
            log.error("{} of the server failed{}", where, where.startsWith("handler") ? "; stopping the loop" : "", fault);
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
