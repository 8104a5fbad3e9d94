package dev.panamavgpu.vhostuser.loop;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.ffm.Epoll;
import dev.panamavgpu.ffm.EventFd;
import dev.panamavgpu.ffm.Fd;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventLoopThreadRulesTest {

    @Test
    void registeringFromAnotherThreadWhileTheLoopRunsIsRefusedWithAClearMessage() throws Exception {
        try (Fd efd = EventFd.create(true)) {
            EventLoop loop = new EventLoop();
            EventLoop.Watch w = loop.watch(efd.get(), Epoll.EPOLLIN, ev -> {}); // before the loop runs: allowed
            LoopThread t = new LoopThread(loop, "rules-loop", () -> {}).start();
            try {
                // wait until the loop thread has entered run()
                assertEquals(1, loop.submit(() -> 1).get(5, TimeUnit.SECONDS));
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> loop.schedule(10, () -> {}));
                assertTrue(e.getMessage().contains("EventLoop.schedule") && e.getMessage().contains("rules-loop"), e.getMessage());
                assertThrows(IllegalStateException.class, () -> loop.watch(efd.get(), Epoll.EPOLLIN, ev -> {}));
                assertThrows(IllegalStateException.class, () -> w.setInterest(Epoll.EPOLLOUT));
                assertThrows(IllegalStateException.class, w::cancel);
                // the same calls on the loop thread are fine
                assertEquals(0, loop.submit(() -> {
                    w.setInterest(Epoll.EPOLLIN | Epoll.EPOLLOUT);
                    loop.schedule(1, () -> {});
                    w.cancel();
                    return loop.watchCount();
                }).get(5, TimeUnit.SECONDS));
            } finally {
                t.close();
            }
            assertTrue(t.ended());
        }
    }

    @Test
    void submitCompletesWithTheResultOrTheFailure() throws Exception {
        EventLoop loop = new EventLoop();
        LoopThread t = new LoopThread(loop, "submit-loop", () -> {}).start();
        try {
            CompletableFuture<String> ok = loop.submit(() -> Thread.currentThread().getName());
            assertEquals("submit-loop", ok.get(5, TimeUnit.SECONDS));
            CompletableFuture<String> bad = loop.submit(() -> { throw new IllegalArgumentException("no"); });
            ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(5, TimeUnit.SECONDS));
            assertEquals("no", e.getCause().getMessage());
        } finally {
            t.close();
        }
    }

    @Test
    void aTaskPostedOnTheLoopThreadRunsInTheSameTurnWithoutAWakeup() throws Exception {
        EventLoop loop = new EventLoop();
        AtomicInteger ran = new AtomicInteger();
        loop.execute(() -> loop.execute(() -> loop.execute(ran::incrementAndGet)));
        loop.runOnce(); // one turn: the chain of tasks posted from the loop thread runs to its end
        assertEquals(1, ran.get());
        // and no wakeup was left behind: the next turn finds nothing ready (epoll timeout 0)
        loop.runOnce();
        assertEquals(1, ran.get());
        loop.close();
    }

    @Test
    void aLoopThreadThatNeverStartedStillRunsItsCleanupOnItsOwnThread() throws Exception {
        EventLoop loop = new EventLoop();
        CompletableFuture<String> cleanedOn = new CompletableFuture<>();
        LoopThread t = new LoopThread(loop, "never-started", () -> cleanedOn.complete(Thread.currentThread().getName()));
        t.close();
        assertEquals("never-started", cleanedOn.get(1, TimeUnit.SECONDS));
        assertTrue(t.ended());
    }
}
