package dev.panamavgpu.vhostuser;

import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.vhostuser.backend.DeviceContext;
import dev.panamavgpu.vhostuser.backend.VhostUserDevice;
import dev.panamavgpu.vhostuser.backend.Virtqueue;
import dev.panamavgpu.vhostuser.memory.GuestMemoryFault;
import dev.panamavgpu.vhostuser.virtqueue.DescriptorChain;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** A test device: copies each chain's readable bytes into its writable part. */
public final class LoopbackDevice implements VhostUserDevice {
    public static final long FEATURE = 1L << 5;
    public final byte[] config = new byte[16];
    public final AtomicLong processed = new AtomicLong();
    public final AtomicInteger resets = new AtomicInteger();
    public final AtomicInteger detaches = new AtomicInteger();
    public final AtomicInteger deviceMessages = new AtomicInteger();
    private final byte[] scratch = new byte[1 << 16];
    /** Thrown from the next process() or device message, to test the fault policy. */
    public volatile Throwable failNextProcess, failNextMessage;

    @Override public long deviceFeatures() { return FEATURE; }
    @Override public int queueCount() { return 2; }
    @Override public int maxQueueSize(int queue) { return 1024; }

    @Override
    public boolean readConfig(int offset, MemorySegment dst) {
        if (offset + dst.byteSize() > config.length) return false;
        MemorySegment.copy(MemorySegment.ofArray(config), offset, dst, 0, dst.byteSize());
        return true;
    }

    @Override
    public boolean writeConfig(int offset, MemorySegment src) {
        if (offset + src.byteSize() > config.length) return false;
        MemorySegment.copy(src, 0, MemorySegment.ofArray(config), offset, src.byteSize());
        return true;
    }

    private DeviceContext context;

    @Override public void attach(DeviceContext context) { this.context = context; }

    @Override
    public void process(Virtqueue queue) {
        Throwable t = failNextProcess;
        failNextProcess = null;
        throwIfAsked(t);
        DescriptorChain c;
        while ((c = queue.pop()) != null) {
            long n = Math.min(Math.min(c.readableLength(), c.writableLength()), scratch.length);
            MemorySegment buf = MemorySegment.ofArray(scratch).asSlice(0, n);
            long written;
            try {
                c.read(0, buf);
                written = c.write(0, buf);
            } catch (GuestMemoryFault e) {
                queue.complete(c, 0);
                context.needsReset(e.getMessage());
                return;
            }
            queue.complete(c, written);
            processed.incrementAndGet();
        }
    }

    /** When set, regions the connection retires stay mapped until the test runs {@link #heldRetirements}. */
    public volatile boolean holdRetired;
    public final List<Runnable> heldRetirements = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Override
    public void retire(Runnable unmap) {
        if (holdRetired) heldRetirements.add(unmap);
        else unmap.run();
    }

    @Override public void stopping(Virtqueue queue) {}
    @Override public void reset() { resets.incrementAndGet(); }

    @Override
    public long deviceMessage(int request, MemorySegment payload, List<Fd> fds) {
        deviceMessages.incrementAndGet();
        Throwable t = failNextMessage;
        failNextMessage = null;
        throwIfAsked(t);
        fds.forEach(Fd::close);
        return request == 33 ? 0 : 1;
    }

    @Override public void detach() { detaches.incrementAndGet(); }

    private static void throwIfAsked(Throwable t) {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
    }
}
