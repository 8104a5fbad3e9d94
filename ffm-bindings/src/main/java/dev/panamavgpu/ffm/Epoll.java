package dev.panamavgpu.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.panamavgpu.ffm.layout.EpollEvent;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * One epoll instance with its own event array. Used by one thread at a time (the loop that owns it);
 * the event array is reused between waits. Close releases both.
 */
public final class Epoll implements AutoCloseable {
    public static final int EPOLLIN = 0x1, EPOLLOUT = 0x4, EPOLLERR = 0x8, EPOLLHUP = 0x10, EPOLLRDHUP = 0x2000;
    private static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3, EPOLL_CLOEXEC = 0x80000;

    private static final class Create {
        static final MethodHandle H = Native.errnoHandle("epoll_create1",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }
    private static final class Ctl {
        static final MethodHandle H = Native.errnoHandle("epoll_ctl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    }
    private static final class Wait {
        static final MethodHandle H = Native.errnoHandle("epoll_wait",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    }

    private final Fd epfd;
    private final Arena arena = Arena.ofShared(); // the loop thread may not be the creator
    private final MemorySegment events;
    private final MemorySegment ctlEvent;
    private final int capacity;

    public Epoll(int capacity) throws ErrnoException {
        MemorySegment cs = Native.captureSegment();
        int r;
        try { r = (int) Create.H.invokeExact(cs, EPOLL_CLOEXEC); } catch (Throwable t) { throw Native.unexpected(t); }
        if (r < 0) throw new ErrnoException("epoll_create1", Native.errno(cs));
        this.epfd = Fd.adopt(r);
        this.capacity = capacity;
        this.events = arena.allocate(EpollEvent.SIZE * capacity, 8);
        this.ctlEvent = arena.allocate(EpollEvent.SIZE, 8);
    }

    public void add(int fd, int interest, long token) throws ErrnoException { ctl(EPOLL_CTL_ADD, fd, interest, token); }
    public void modify(int fd, int interest, long token) throws ErrnoException { ctl(EPOLL_CTL_MOD, fd, interest, token); }

    /** Removes a descriptor; one that is already closed or unknown is not an error. */
    public void remove(int fd) throws ErrnoException {
        try { ctl(EPOLL_CTL_DEL, fd, 0, 0); }
        catch (ErrnoException e) { if (e.errno() != Errno.ENOENT && e.errno() != Errno.EBADF) throw e; }
    }

    /** Waits up to {@code timeoutMillis} (-1 forever); returns the number of ready events (0 on timeout or EINTR). */
    public int await(int timeoutMillis) throws ErrnoException {
        MemorySegment cs = Native.captureSegment();
        int n;
        try { n = (int) Wait.H.invokeExact(cs, epfd.get(), events, capacity, timeoutMillis); } catch (Throwable t) { throw Native.unexpected(t); }
        if (n >= 0) return n;
        if (Native.errno(cs) == Errno.EINTR) return 0;
        throw new ErrnoException("epoll_wait", Native.errno(cs));
    }

    public int readyEvents(int i) { return events.get(JAVA_INT_UNALIGNED, i * EpollEvent.SIZE + EpollEvent.EVENTS); }
    public long readyToken(int i) { return events.get(JAVA_LONG_UNALIGNED, i * EpollEvent.SIZE + EpollEvent.DATA); }

    private void ctl(int op, int fd, int interest, long token) throws ErrnoException {
        ctlEvent.set(JAVA_INT_UNALIGNED, EpollEvent.EVENTS, interest);
        ctlEvent.set(JAVA_LONG_UNALIGNED, EpollEvent.DATA, token);
        MemorySegment cs = Native.captureSegment();
        int r;
        try { r = (int) Ctl.H.invokeExact(cs, epfd.get(), op, fd, ctlEvent); } catch (Throwable t) { throw Native.unexpected(t); }
        if (r != 0) throw new ErrnoException("epoll_ctl", Native.errno(cs));
    }

    @Override
    public void close() {
        epfd.close();
        if (arena.scope().isAlive()) arena.close();
    }
}
