package dev.panamavgpu.input;

import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.vhostuser.backend.DeviceContext;
import dev.panamavgpu.vhostuser.backend.VhostUserDevice;
import dev.panamavgpu.vhostuser.backend.Virtqueue;
import dev.panamavgpu.vhostuser.memory.GuestMemoryFault;
import dev.panamavgpu.vhostuser.virtqueue.DescriptorChain;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * virtio-input (device id 18) behind vhost-user: queue 0 (eventq) takes the driver's empty 8-byte
 * buffers, which are held until {@link PendingReports} has events for them; queue 1 (statusq) carries
 * LED changes from the driver, which are returned unread (the device advertises no LEDs). Everything
 * runs on the connection's loop thread; other threads only add to the {@link PendingReports} and ask
 * the loop to call {@link #deliver}.
 */
public final class VirtioInputDevice implements VhostUserDevice {
    private static final Logger log = LoggerFactory.getLogger(VirtioInputDevice.class);
    public static final int EVENTQ = 0, STATUSQ = 1;
    /** QEMU's vhost-user-input asks for 4; other front-ends may use more. */
    static final int MAX_QUEUE_SIZE = 256;

    private final PendingReports pending;
    private final InputConfigSpace config = new InputConfigSpace();
    private final ArrayDeque<DescriptorChain> held = new ArrayDeque<>(); // eventq buffers, at most the ring size
    private final InputFigures.Counters counters;
    private DeviceContext context;

    public VirtioInputDevice(PendingReports pending, InputFigures.Counters counters) {
        this.pending = pending;
        this.counters = counters;
    }

    @Override public long deviceFeatures() { return 0; }
    @Override public int queueCount() { return 2; }
    @Override public int maxQueueSize(int queue) { return MAX_QUEUE_SIZE; }
    @Override public boolean readConfig(int offset, MemorySegment dst) { return config.read(offset, dst); }
    @Override public boolean writeConfig(int offset, MemorySegment src) { return config.write(offset, src); }

    @Override
    public void attach(DeviceContext context) {
        this.context = context;
        pending.clear(); // input typed before this guest connected is not for it
    }

    @Override
    public void process(Virtqueue queue) {
        if (queue.index() == STATUSQ) {
            DescriptorChain c;
            while ((c = queue.pop()) != null) {
                counters.statusBuffers++;
                queue.complete(c, 0);
            }
            return;
        }
        DescriptorChain c;
        while ((c = queue.pop()) != null) held.addLast(c);
        fill(queue);
    }

    /** New reports are pending: deliver them in this device's fault scope. Loop thread. */
    void deliverSoon() {
        if (context != null) context.loop().execute(context.deviceScope(), this::deliver);
    }

    /** Fills held (and newly posted) eventq buffers from the pending reports. Loop thread. */
    void deliver() {
        if (context == null) return;
        Virtqueue q = context.queue(EVENTQ);
        if (!q.isRunning()) return;
        DescriptorChain c;
        while ((c = q.pop()) != null) held.addLast(c); // buffers posted without a kick yet
        fill(q);
        q.flush();
    }

    /** One event per held buffer, oldest first, while both last. */
    private void fill(Virtqueue q) {
        MemorySegment bytes = MemorySegment.ofArray(new byte[(int) InputEvent.SIZE]);
        InputEvent e;
        while (!held.isEmpty() && (e = pending.peek()) != null) {
            DescriptorChain c = held.pollFirst();
            if (c.writableLength() < InputEvent.SIZE) { // a buffer that cannot take an event: back, empty
                counters.badBuffers++;
                q.complete(c, 0);
                continue;
            }
            e.write(bytes, 0);
            try {
                c.write(0, bytes);
            } catch (GuestMemoryFault f) {
                q.complete(c, 0);
                context.needsReset("eventq buffer: " + f.getMessage());
                return;
            }
            pending.taken();
            counters.eventsDelivered++;
            q.complete(c, InputEvent.SIZE);
        }
    }

    /**
     * The ring stops: held buffers go back now, each with an empty SYN_REPORT, which the guest's
     * input core ignores (a zero-length completion would make Linux re-read the buffer's old event).
     */
    @Override
    public void stopping(Virtqueue queue) {
        if (queue.index() != EVENTQ) return;
        MemorySegment syn = MemorySegment.ofArray(new byte[(int) InputEvent.SIZE]);
        InputEvent.SYN.write(syn, 0);
        while (!held.isEmpty()) {
            DescriptorChain c = held.pollFirst();
            long n = 0;
            if (c.writableLength() >= InputEvent.SIZE) {
                try {
                    n = c.write(0, syn);
                } catch (GuestMemoryFault f) {
                    log.debug("eventq buffer at stop: {}", f.getMessage());
                }
            }
            queue.complete(c, n);
            counters.returnedAtStop++;
        }
    }

    @Override
    public void reset() {
        held.clear(); // their ring is reset too: nothing to complete
        config.reset();
        pending.clear();
    }

    @Override
    public long deviceMessage(int request, MemorySegment payload, List<Fd> fds) {
        fds.forEach(Fd::close);
        return 1;
    }

    @Override
    public void detach() {
        held.clear();
        context = null;
    }
}
