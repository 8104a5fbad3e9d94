package dev.panamavgpu.vhostuser.backend;

import dev.panamavgpu.ffm.Epoll;
import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.EventFd;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.vhostuser.loop.EventLoop;
import dev.panamavgpu.vhostuser.loop.FaultScope;
import dev.panamavgpu.vhostuser.memory.GuestMemory;
import dev.panamavgpu.vhostuser.memory.GuestMemoryException;
import dev.panamavgpu.vhostuser.memory.GuestMemoryFault;
import dev.panamavgpu.vhostuser.virtqueue.DescriptorChain;
import dev.panamavgpu.vhostuser.virtqueue.QueueException;
import dev.panamavgpu.vhostuser.virtqueue.Ring;
import dev.panamavgpu.vhostuser.virtqueue.SplitQueue;
import java.lang.foreign.MemorySegment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one vring as the front-end configures it (size, addresses, base, kick/call/err fds,
 * enable) and, while started, its live {@link SplitQueue}. The kick fd is watched by the loop only
 * while the ring is started and enabled; becoming runnable always triggers one processing pass, so
 * a kick that arrived before the watch existed is not lost.
 */
final class Vring implements Virtqueue {
    private static final Logger log = LoggerFactory.getLogger(Vring.class);

    interface Owner {
        void process(Vring ring);
        void broken(Vring ring, String reason);
        /** Where faults of kick handling go: the device's scope. */
        FaultScope deviceScope();
    }

    private final int index;
    private final int maxSize;
    private final EventLoop loop;
    private final Owner owner;
    private int size;
    private long descAddr, availAddr, usedAddr;
    private boolean addressed;
    private int base;
    private Fd kick, call, err;
    private boolean started, enabled, broken;
    private boolean eventIdx;
    private SplitQueue queue;
    private EventLoop.Watch kickWatch;
    private GuestMemory memory = GuestMemory.EMPTY;

    Vring(int index, int maxSize, EventLoop loop, Owner owner) {
        this.index = index;
        this.maxSize = maxSize;
        this.loop = loop;
        this.owner = owner;
    }

    @Override public int index() { return index; }
    @Override public boolean isRunning() { return queue != null && !broken; }
    boolean isStarted() { return started; }
    SplitQueue splitQueue() { return queue; }

    void setNum(int num) throws ProtocolError {
        if (num <= 0 || num > maxSize || Integer.bitCount(num) != 1) throw new ProtocolError("vring " + index + " size " + num + " (max " + maxSize + ", power of two)");
        size = num;
    }

    void setAddresses(long desc, long used, long avail) {
        descAddr = desc;
        usedAddr = used;
        availAddr = avail;
        addressed = true;
    }

    void setBase(int lastAvail) { base = lastAvail & 0xffff; }

    void setEnabled(boolean on) {
        enabled = on;
        update();
    }

    void setEventIdx(boolean on) { eventIdx = on; }

    void setKick(Fd fd) {
        stopWatching();
        replace(kick);
        kick = fd;
        started = true; // SET_VRING_KICK starts the ring (vhost-user "ring states")
        broken = false;
        update();
    }

    void setCall(Fd fd) {
        replace(call);
        call = fd;
        // Like libvhost-user: one signal on a new call fd, in case a notification was lost in between.
        // A call fd may also be taken away (VRING_NOFD): then there is nothing to signal.
        if (queue != null && call != null) signal(call);
    }

    void setErr(Fd fd) {
        replace(err);
        err = fd;
    }

    /** GET_VRING_BASE: stop, forget the kick fd, and return where the next avail entry is. */
    int stop() {
        int next = queue != null ? queue.lastAvailIndex() : base;
        stopWatching();
        queue = null;
        started = false;
        base = next;
        replace(kick);
        kick = null;
        return next;
    }

    /** Back to the state of a freshly connected ring (RESET_DEVICE); fds are kept, QEMU re-sends them. */
    void reset() {
        stopWatching();
        queue = null;
        started = false;
        enabled = false;
        broken = false;
        addressed = false;
        base = 0;
        size = 0;
    }

    void close() {
        stopWatching();
        queue = null;
        replace(kick);
        replace(call);
        replace(err);
        kick = call = err = null;
    }

    /**
     * Switches to a new memory table: the live queue is rebuilt from the new translation (or the
     * ring waits, stopped, until its memory is back).
     */
    void useMemory(GuestMemory m) {
        memory = m;
        if (queue != null) {
            base = queue.lastAvailIndex();
            queue = null;
        }
        update();
    }

    private void update() {
        boolean runnable = started && enabled && addressed && size > 0 && !broken && kick != null;
        if (!runnable) {
            stopWatching();
            return;
        }
        if (queue == null) {
            try {
                queue = createQueue(memory);
            } catch (GuestMemoryException | IllegalArgumentException e) {
                log.warn("vring {} cannot start: {}", index, e.getMessage());
                stopWatching();
                return;
            }
        }
        if (kickWatch == null) {
            try {
                kickWatch = loop.watch(kick.get(), Epoll.EPOLLIN, owner.deviceScope(), ev -> onKick());
            } catch (ErrnoException e) {
                log.warn("vring {}: cannot watch kick fd: {}", index, e.getMessage());
                return;
            }
            loop.execute(owner.deviceScope(), () -> { if (isRunning()) owner.process(this); });
        }
    }

    private SplitQueue createQueue(GuestMemory mem) throws GuestMemoryException {
        MemorySegment desc = mem.sliceOfUserAddr(descAddr, Ring.descTableSize(size));
        MemorySegment avail = mem.sliceOfUserAddr(availAddr, Ring.availSize(size));
        MemorySegment used = mem.sliceOfUserAddr(usedAddr, Ring.usedSize(size));
        if (desc.address() % 16 != 0 || avail.address() % 2 != 0 || used.address() % 4 != 0) {
            throw new GuestMemoryException("misaligned ring areas");
        }
        return new SplitQueue(size, desc, avail, used, mem, eventIdx, base);
    }

    private void onKick() {
        if (kick == null) return;
        try {
            EventFd.drain(kick.get());
        } catch (ErrnoException e) {
            log.debug("vring {} kick read: {}", index, e.getMessage());
        }
        if (isRunning()) owner.process(this);
    }

    /** Runs the device on this ring until no new entries slipped in after notifications were re-enabled. */
    void drive(VhostUserDevice device) {
        for (int rounds = 0; rounds < 1024 && isRunning(); rounds++) {
            device.process(this);
            flush();
            if (!isRunning()) break;
            try {
                if (!queue.enableNotification()) break;
            } catch (IllegalStateException | InternalError e) {
                markBroken("ring: " + faultOf(e).getMessage());
            }
        }
    }

    /** Ring memory that faulted; anything else is a bug and goes on to the loop's fault policy. */
    private static GuestMemoryFault faultOf(Throwable e) {
        GuestMemoryFault f = GuestMemoryFault.recognise(e);
        if (f != null) return f;
        if (e instanceof RuntimeException r) throw r;
        throw (Error) e;
    }

    @Override
    public DescriptorChain pop() {
        if (!isRunning()) return null;
        try {
            return queue.pop();
        } catch (QueueException e) {
            markBroken(e.getMessage());
            return null;
        } catch (IllegalStateException | InternalError e) {
            markBroken("ring: " + faultOf(e).getMessage());
            return null;
        }
    }

    @Override
    public void complete(DescriptorChain chain, long written) {
        if (queue == null || !chain.belongsTo(queue)) return; // the ring restarted meanwhile
        queue.addUsed(chain.head(), written);
    }

    @Override
    public void flush() {
        if (queue == null) return;
        try {
            if (queue.publish() && call != null) signal(call);
        } catch (IllegalStateException | InternalError e) {
            markBroken("ring: " + faultOf(e).getMessage());
        }
    }

    void markBroken(String reason) {
        if (broken) return;
        broken = true;
        stopWatching();
        owner.broken(this, reason);
        if (err != null) signal(err);
    }

    private void stopWatching() {
        if (kickWatch != null) {
            kickWatch.cancel();
            kickWatch = null;
        }
    }

    private static void replace(Fd fd) {
        if (fd != null) fd.close();
    }

    private static void signal(Fd fd) {
        try {
            EventFd.signal(fd.get(), 1);
        } catch (ErrnoException | IllegalStateException e) {
            log.debug("eventfd signal failed: {}", e.getMessage());
        }
    }
}
