package dev.panamavgpu.vhostuser.frontend;

import dev.panamavgpu.ffm.Epoll;
import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.EventFd;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.vhostuser.message.Features;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole front-end session the way QEMU 10 drives a vhost-user device: negotiation, guest RAM
 * announced with ADD_MEM_REG (or SET_MEM_TABLE), rings with kick/call eventfds, enable, and
 * stop/resume. Tests and test-guest build on it.
 */
public final class DeviceSession implements AutoCloseable {
    /** How to set the session up. */
    public record Options(long ramSize, int[] queueSizes, boolean eventIdx, boolean useAddMemReg) {
        public static Options of(int... queueSizes) { return new Options(64L << 20, queueSizes, true, true); }
        public Options withEventIdx(boolean on) { return new Options(ramSize, queueSizes, on, useAddMemReg); }
        public Options withRam(long bytes) { return new Options(bytes, queueSizes, eventIdx, useAddMemReg); }
        public Options withSetMemTable() { return new Options(ramSize, queueSizes, eventIdx, false); }
    }

    private final FrontendConnection conn;
    private final GuestRam ram;
    private final Options options;
    private final List<DriverQueue> queues = new ArrayList<>();
    private final List<Fd> kicks = new ArrayList<>(), calls = new ArrayList<>();
    private final Epoll callPoll;
    private long features;
    private long protocolFeatures;

    private DeviceSession(FrontendConnection conn, Options options) throws ErrnoException {
        this.conn = conn;
        this.options = options;
        this.ram = new GuestRam(0x1_0000_0000L, options.ramSize());
        this.callPoll = new Epoll(16);
    }

    public static DeviceSession open(FrontendConnection conn, Options options) throws IOException {
        DeviceSession s = new DeviceSession(conn, options);
        try {
            s.realize();
            s.startRings(true);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    public FrontendConnection connection() { return conn; }
    public GuestRam ram() { return ram; }
    public DriverQueue queue(int i) { return queues.get(i); }
    public long features() { return features; }
    /** The vhost-user protocol features both sides agreed on. */
    public long protocolFeatures() { return protocolFeatures; }

    private void realize() throws IOException {
        long offered = conn.getFeatures();
        if ((offered & Features.VHOST_USER_F_PROTOCOL_FEATURES) == 0) throw new IOException("back-end lacks PROTOCOL_FEATURES");
        protocolFeatures = conn.getProtocolFeatures() & (Features.PROTOCOL_OFFERED | Features.PROTOCOL_F_LOG_SHMFD | Features.PROTOCOL_F_BACKEND_REQ);
        // like QEMU: only what both sides know
        protocolFeatures &= Features.PROTOCOL_F_MQ | Features.PROTOCOL_F_REPLY_ACK | Features.PROTOCOL_F_CONFIG
                | Features.PROTOCOL_F_RESET_DEVICE | Features.PROTOCOL_F_CONFIGURE_MEM_SLOTS | Features.PROTOCOL_F_STATUS;
        conn.setProtocolFeatures(protocolFeatures);
        conn.useReplyAck((protocolFeatures & Features.PROTOCOL_F_REPLY_ACK) != 0);
        if ((protocolFeatures & Features.PROTOCOL_F_MQ) != 0) conn.getQueueNum();
        if ((protocolFeatures & Features.PROTOCOL_F_CONFIGURE_MEM_SLOTS) != 0) conn.getMaxMemSlots();
        conn.setOwner();
        features = (offered & ~(Features.VIRTIO_RING_F_EVENT_IDX)) | (options.eventIdx() ? Features.VIRTIO_RING_F_EVENT_IDX & offered : 0);
        for (int i = 0; i < options.queueSizes().length; i++) {
            Fd call = EventFd.create(true);
            calls.add(call);
            callPoll.add(call.get(), Epoll.EPOLLIN, i);
        }
        if (options.useAddMemReg() && (protocolFeatures & Features.PROTOCOL_F_CONFIGURE_MEM_SLOTS) != 0) {
            conn.addMemReg(ram.region(), ram.fd().get());
        } else {
            conn.setMemTable(new dev.panamavgpu.vhostuser.memory.RegionSpec[] {ram.region()}, new int[] {ram.fd().get()});
        }
        for (int size : options.queueSizes()) {
            DriverQueue q = new DriverQueue(ram, size);
            q.useEventIdx(options.eventIdx());
            queues.add(q);
        }
    }

    /** What QEMU does at DRIVER_OK or on resume: features, then per ring num/base/addr/kick, enable, call. */
    public void startRings(boolean fresh) throws IOException {
        conn.setFeatures(features);
        for (int i = 0; i < queues.size(); i++) {
            DriverQueue q = queues.get(i);
            conn.setVringNum(i, q.size());
            conn.setVringBase(i, fresh ? 0 : baseOf(i));
            conn.setVringAddr(i, q.descUserAddr(), q.usedUserAddr(), q.availUserAddr());
            Fd kick = EventFd.create(true);
            if (i < kicks.size()) { kicks.get(i).close(); kicks.set(i, kick); } else kicks.add(kick);
            conn.setVringKick(i, kick);
        }
        for (int i = 0; i < queues.size(); i++) conn.setVringEnable(i, true);
        for (int i = 0; i < queues.size(); i++) conn.setVringCall(i, calls.get(i));
    }

    private final List<Integer> bases = new ArrayList<>();
    private int baseOf(int i) { return i < bases.size() ? bases.get(i) : 0; }

    /** What QEMU does on stop: disable, then GET_VRING_BASE per ring; returns the bases. */
    public List<Integer> stopRings() throws IOException {
        for (int i = 0; i < queues.size(); i++) conn.setVringEnable(i, false);
        bases.clear();
        for (int i = 0; i < queues.size(); i++) bases.add(conn.getVringBase(i));
        return List.copyOf(bases);
    }

    public void kick(int queue) throws ErrnoException {
        EventFd.signal(kicks.get(queue).get(), 1);
    }

    /** Publishes and kicks if the device asked for it. */
    public void submit(int queue, int oldAvail) throws ErrnoException {
        DriverQueue q = queues.get(queue);
        q.publish();
        if (q.needsKick(oldAvail)) kick(queue);
    }

    /** Waits until {@code queue} has at least one used entry, draining its call eventfd. */
    public List<DriverQueue.Used> awaitUsed(int queue, int timeoutMillis) throws IOException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        DriverQueue q = queues.get(queue);
        while (true) {
            EventFd.drain(calls.get(queue).get());
            List<DriverQueue.Used> got = q.collect();
            if (!got.isEmpty()) return got;
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) throw new SocketTimeoutException("no used entry on queue " + queue + " within " + timeoutMillis + " ms");
            callPoll.await((int) Math.min(left, 50));
        }
    }

    /** Number of call signals pending on {@code queue} (drains the counter). */
    public long drainCalls(int queue) throws ErrnoException { return EventFd.drain(calls.get(queue).get()); }

    @Override
    public void close() {
        conn.close();
        kicks.forEach(Fd::close);
        calls.forEach(Fd::close);
        callPoll.close();
        ram.close();
    }
}
