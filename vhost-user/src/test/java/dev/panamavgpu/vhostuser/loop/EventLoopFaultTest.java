package dev.panamavgpu.vhostuser.loop;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.ffm.Epoll;
import dev.panamavgpu.ffm.EventFd;
import dev.panamavgpu.ffm.Fd;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loop's fault policy, handler kind by handler kind: the throwable reaches its scope, the loop goes on. */
class EventLoopFaultTest {

    /** A scope that records what it is asked to contain. */
    private static final class Recorder implements FaultScope {
        final List<String> contained = new ArrayList<>();
        @Override public String describe() { return "recorder"; }
        @Override public void contain(String where, Throwable fault) { contained.add(where + ": " + fault.getMessage()); }
    }

    private static void drain(Fd fd) {
        try { EventFd.drain(fd.get()); } catch (dev.panamavgpu.ffm.ErrnoException e) { throw new AssertionError(e); }
    }

    @Test
    void aWatchThatThrowsAnErrorIsContainedByItsScopeStaysWatchedAndOthersAreServed() throws Exception {
        try (EventLoop loop = new EventLoop(); Fd a = EventFd.create(true); Fd b = EventFd.create(true)) {
            Recorder scope = new Recorder();
            int[] served = new int[2];
            loop.watch(a.get(), Epoll.EPOLLIN, scope, ev -> {
                served[0]++;
                throw new OutOfMemoryError("injected");
            });
            loop.watch(b.get(), Epoll.EPOLLIN, scope, ev -> {
                served[1]++;
                drain(b);
            });
            EventFd.signal(a.get(), 1);
            EventFd.signal(b.get(), 1);
            loop.runOnce();
            assertEquals(List.of("handler of fd " + a.get() + ": injected"), scope.contained);
            assertEquals(1, served[1], "the other watch was served in the same turn");
            assertEquals(2, loop.watchCount(), "the scope did not cancel it, so the fd stays watched");
            loop.runOnce(); // a is still readable (never drained): its scope hears of it again
            assertEquals(2, served[0]);
            assertEquals(2, scope.contained.size());
        }
    }

    @Test
    void timersAndTasksBelongToTheScopeOfTheHandlerThatMadeThem() throws Exception {
        try (EventLoop loop = new EventLoop(); Fd a = EventFd.create(true)) {
            Recorder device = new Recorder();
            loop.watch(a.get(), Epoll.EPOLLIN, device, ev -> {
                drain(a);
                loop.schedule(0, () -> { throw new IllegalStateException("timer bug"); });
                loop.execute(() -> { throw new StackOverflowError("task bug"); });
            });
            EventFd.signal(a.get(), 1);
            loop.runOnce(); // the watch, then the task it queued, then the due timer
            loop.runOnce();
            assertEquals(List.of("task: task bug", "timer: timer bug"), device.contained);
        }
    }

    @Test
    void withinMakesRegistrationsBelongToTheGivenScope() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            Recorder outer = new Recorder(), inner = new Recorder();
            loop.execute(outer, () -> loop.within(inner, () -> loop.execute(() -> { throw new IllegalStateException("x"); })));
            loop.runOnce();
            loop.runOnce();
            assertEquals(List.of(), outer.contained);
            assertEquals(List.of("task: x"), inner.contained);
        }
    }

    @Test
    void aWatchInTheLoopsOwnScopeThatFailsStopsTheLoopAndATaskThereDoesNot() throws Exception {
        try (EventLoop loop = new EventLoop(); Fd a = EventFd.create(true)) {
            int[] ran = new int[1];
            loop.execute(() -> { throw new IllegalStateException("own task"); }); // from this thread: the loop's own scope
            loop.execute(() -> ran[0]++);
            loop.schedule(0, () -> ran[0]++);
            Thread t = new Thread(loop::run, "loop-under-test");
            EventFd.signal(a.get(), 1);
            t.start();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (ran[0] < 2 && System.nanoTime() < deadline) Thread.sleep(5);
            assertEquals(2, ran[0], "a failed task is skipped, the loop goes on");
            assertFalse(loop.stoppedByFault());
            loop.execute(() -> {
                try {
                    loop.watch(a.get(), Epoll.EPOLLIN, ev -> { throw new IllegalStateException("listener bug"); });
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            t.join(5000);
            assertFalse(t.isAlive(), "a failing watch of the server itself stops the loop");
            assertTrue(loop.stoppedByFault());
        }
    }

    @Test
    void aScopeThatThrowsWhileContainingStopsTheLoop() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            FaultScope broken = new FaultScope() {
                @Override public String describe() { return "broken"; }
                @Override public void contain(String where, Throwable fault) { throw new IllegalStateException("cannot contain"); }
            };
            loop.execute(broken, () -> { throw new IllegalStateException("first"); });
            Thread t = new Thread(loop::run, "loop-under-test");
            t.start();
            t.join(5000);
            assertFalse(t.isAlive());
            assertTrue(loop.stoppedByFault());
        }
    }
}
