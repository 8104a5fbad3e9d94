package dev.panamavgpu.vhostuser.frontend;

import static dev.panamavgpu.vhostuser.message.Request.*;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.panamavgpu.ffm.Epoll;
import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.ffm.UnixSockets;
import dev.panamavgpu.vhostuser.memory.RegionSpec;
import dev.panamavgpu.vhostuser.message.Header;
import dev.panamavgpu.vhostuser.message.Message;
import dev.panamavgpu.vhostuser.message.MessageReader;
import dev.panamavgpu.vhostuser.message.MessageWriter;
import dev.panamavgpu.vhostuser.message.Payloads;
import dev.panamavgpu.vhostuser.message.Request;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketTimeoutException;

/**
 * The front-end (QEMU) role of vhost-user: connects to a back-end, negotiates, announces guest
 * memory, configures and stops rings. Blocking calls with a reply timeout, for tests and test-guest.
 */
public final class FrontendConnection implements AutoCloseable {
    private final Fd socket;
    private final MessageReader reader;
    private final MessageWriter writer;
    private final Epoll poll;
    private int replyTimeoutMillis = 5_000;
    private boolean replyAck;

    private FrontendConnection(Fd socket) throws ErrnoException {
        this.socket = socket;
        Libc.setNonBlocking(socket.get());
        this.reader = new MessageReader(socket, 1 << 16);
        this.writer = new MessageWriter(socket, 1 << 16);
        this.poll = new Epoll(1);
        poll.add(socket.get(), Epoll.EPOLLIN, 0);
    }

    public static FrontendConnection connect(String path) throws ErrnoException {
        return new FrontendConnection(UnixSockets.connect(path));
    }

    /** Wraps one end of a socketpair whose other end was given to a back-end. */
    public static FrontendConnection over(Fd socket) throws ErrnoException {
        return new FrontendConnection(socket);
    }

    public Fd socket() { return socket; }
    public void setReplyTimeoutMillis(int ms) { replyTimeoutMillis = ms; }

    /** Sets NEED_REPLY on the messages QEMU sets it on once REPLY_ACK is negotiated. */
    public void useReplyAck(boolean on) { replyAck = on; }

    // --- raw messages ---

    public void send(int request, int flags, MemorySegment payload, int... fds) throws IOException {
        writer.send(request, flags, payload, fds);
    }

    /** Waits for the next message from the back-end. */
    public Message receive() throws IOException {
        long deadline = System.nanoTime() + replyTimeoutMillis * 1_000_000L;
        while (true) {
            Message m = reader.read();
            if (m != null) return m;
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) throw new SocketTimeoutException("no reply within " + replyTimeoutMillis + " ms");
            poll.await((int) Math.min(left, Integer.MAX_VALUE));
        }
    }

    public Message request(int request, MemorySegment payload, int... fds) throws IOException {
        send(request, Header.VERSION_1, payload, fds);
        Message reply = receive();
        reply.closeFds();
        if (reply.request() != request) throw new IOException("reply to " + Request.name(reply.request()) + " while waiting for " + Request.name(request));
        if (reply.flags() != Header.REPLY_FLAGS) throw new IOException("reply flags 0x" + Integer.toHexString(reply.flags()));
        return reply;
    }

    /** Sends with NEED_REPLY and returns the ack value (0 = success). */
    public long requestAck(int request, MemorySegment payload, int... fds) throws IOException {
        send(request, Header.VERSION_1 | Header.FLAG_NEED_REPLY, payload, fds);
        Message reply = receive();
        reply.closeFds();
        if (reply.request() != request || reply.size() != 8) throw new IOException("bad ack for " + Request.name(request) + ": " + reply);
        return reply.payload().get(JAVA_LONG_UNALIGNED, 0);
    }

    private void sendMaybeAck(int request, MemorySegment payload, int... fds) throws IOException {
        if (replyAck) {
            long ack = requestAck(request, payload, fds);
            if (ack != 0) throw new IOException(Request.name(request) + " failed: ack " + ack);
        } else {
            send(request, Header.VERSION_1, payload, fds);
        }
    }

    private long requestU64(int request) throws IOException {
        Message r = request(request, EMPTY);
        if (r.size() != 8) throw new IOException(Request.name(request) + " reply of " + r.size() + " bytes");
        return r.payload().get(JAVA_LONG_UNALIGNED, 0);
    }

    private static MemorySegment u64(long v) { return MemorySegment.ofArray(new long[] {v}); }
    private static MemorySegment state(int index, int num) { return MemorySegment.ofArray(new int[] {index, num}); }
    private static final MemorySegment EMPTY = MemorySegment.ofArray(new byte[0]);

    // --- typed messages, in the order QEMU uses them ---

    public long getFeatures() throws IOException { return requestU64(GET_FEATURES); }
    public void setFeatures(long f) throws IOException { send(SET_FEATURES, Header.VERSION_1, u64(f)); }
    public long getProtocolFeatures() throws IOException { return requestU64(GET_PROTOCOL_FEATURES); }
    public void setProtocolFeatures(long f) throws IOException { send(SET_PROTOCOL_FEATURES, Header.VERSION_1, u64(f)); }
    public void setOwner() throws IOException { send(SET_OWNER, Header.VERSION_1, EMPTY); }
    public long getQueueNum() throws IOException { return requestU64(GET_QUEUE_NUM); }
    public long getMaxMemSlots() throws IOException { return requestU64(GET_MAX_MEM_SLOTS); }
    public long getStatus() throws IOException { return requestU64(GET_STATUS); }
    public void setStatus(long s) throws IOException { sendMaybeAck(SET_STATUS, u64(s)); }
    public void resetDevice() throws IOException { sendMaybeAck(RESET_DEVICE, EMPTY); }

    public static MemorySegment regionPayload(RegionSpec r, boolean withPadding) {
        MemorySegment p = MemorySegment.ofArray(new byte[(int) ((withPadding ? 8 : 0) + Payloads.MEMORY_REGION.byteSize())]);
        long at = withPadding ? Payloads.MEM_REG_REGION : 0;
        p.set(JAVA_LONG_UNALIGNED, at + Payloads.REGION_GPA, r.guestPhysAddr());
        p.set(JAVA_LONG_UNALIGNED, at + Payloads.REGION_SIZE, r.size());
        p.set(JAVA_LONG_UNALIGNED, at + Payloads.REGION_UADDR, r.userAddr());
        p.set(JAVA_LONG_UNALIGNED, at + Payloads.REGION_MMAP_OFFSET, r.mmapOffset());
        return p;
    }

    public void setMemTable(RegionSpec[] regions, int[] fds) throws IOException {
        MemorySegment p = MemorySegment.ofArray(new byte[(int) (Payloads.MEM_TABLE_HEADER + 32L * regions.length)]);
        p.set(JAVA_INT_UNALIGNED, 0, regions.length);
        for (int i = 0; i < regions.length; i++) {
            MemorySegment.copy(regionPayload(regions[i], false), 0, p, Payloads.MEM_TABLE_HEADER + 32L * i, 32);
        }
        sendMaybeAck(SET_MEM_TABLE, p, fds);
    }

    public void addMemReg(RegionSpec r, int fd) throws IOException { sendMaybeAck(ADD_MEM_REG, regionPayload(r, true), fd); }
    public void remMemReg(RegionSpec r) throws IOException { sendMaybeAck(REM_MEM_REG, regionPayload(r, true)); }

    public void setVringNum(int index, int num) throws IOException { send(SET_VRING_NUM, Header.VERSION_1, state(index, num)); }
    public void setVringBase(int index, int base) throws IOException { send(SET_VRING_BASE, Header.VERSION_1, state(index, base)); }

    public void setVringAddr(int index, long desc, long used, long avail) throws IOException {
        MemorySegment p = MemorySegment.ofArray(new byte[40]);
        p.set(JAVA_INT_UNALIGNED, Payloads.ADDR_INDEX, index);
        p.set(JAVA_LONG_UNALIGNED, Payloads.ADDR_DESC, desc);
        p.set(JAVA_LONG_UNALIGNED, Payloads.ADDR_USED, used);
        p.set(JAVA_LONG_UNALIGNED, Payloads.ADDR_AVAIL, avail);
        send(SET_VRING_ADDR, Header.VERSION_1, p);
    }

    public void setVringKick(int index, Fd fd) throws IOException { send(SET_VRING_KICK, Header.VERSION_1, u64(index), fd.get()); }
    public void setVringCall(int index, Fd fd) throws IOException { send(SET_VRING_CALL, Header.VERSION_1, u64(index), fd.get()); }
    public void setVringErr(int index, Fd fd) throws IOException { send(SET_VRING_ERR, Header.VERSION_1, u64(index), fd.get()); }
    public void setVringEnable(int index, boolean on) throws IOException { sendMaybeAck(SET_VRING_ENABLE, state(index, on ? 1 : 0)); }

    /** GET_VRING_BASE: stops the ring; returns the next avail index the back-end would have read. */
    public int getVringBase(int index) throws IOException {
        Message r = request(GET_VRING_BASE, state(index, 0));
        if (r.size() != 8) throw new IOException("GET_VRING_BASE reply of " + r.size() + " bytes");
        return r.payload().get(JAVA_INT_UNALIGNED, 4);
    }

    /** GET_CONFIG of {@code size} bytes at {@code offset}; returns the reply's config bytes (empty = error). */
    public byte[] getConfig(int offset, int size) throws IOException {
        MemorySegment p = MemorySegment.ofArray(new byte[12 + size]);
        p.set(JAVA_INT_UNALIGNED, 0, offset);
        p.set(JAVA_INT_UNALIGNED, 4, size);
        Message r = request(GET_CONFIG, p);
        if (r.size() < 12) return new byte[0];
        return r.payload().asSlice(12).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    public long setConfig(int offset, byte[] data) throws IOException {
        MemorySegment p = MemorySegment.ofArray(new byte[12 + data.length]);
        p.set(JAVA_INT_UNALIGNED, 0, offset);
        p.set(JAVA_INT_UNALIGNED, 4, data.length);
        MemorySegment.copy(MemorySegment.ofArray(data), 0, p, 12, data.length);
        return requestAck(SET_CONFIG, p);
    }

    @Override
    public void close() {
        poll.close();
        reader.close();
        writer.close();
        socket.close();
    }
}
