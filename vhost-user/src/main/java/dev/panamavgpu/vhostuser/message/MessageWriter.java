package dev.panamavgpu.vhostuser.message;

import dev.panamavgpu.ffm.Epoll;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.ffm.UnixSockets;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Writes whole vhost-user messages to a stream socket. Messages on this channel are small (at most a
 * few hundred bytes), so a full socket buffer is waited out for a bounded time; a peer that does
 * not read for that long is treated as gone.
 */
public final class MessageWriter implements AutoCloseable {
    private static final int STALL_LIMIT_MILLIS = 5_000;

    private final Fd socket;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer;

    public MessageWriter(Fd socket, int maxPayload) {
        this.socket = socket;
        this.buffer = arena.allocate(Header.SIZE + maxPayload);
    }

    /** Sends header + payload, with {@code fds} attached to the first byte. */
    public void send(int request, int flags, MemorySegment payload, int[] fds) throws IOException {
        long size = payload.byteSize();
        if (size > buffer.byteSize() - Header.SIZE) throw new IOException("payload of " + size + " bytes too large");
        Header.write(buffer, request, flags, (int) size);
        MemorySegment.copy(payload, 0, buffer, Header.SIZE, size);
        long total = Header.SIZE + size, sent = 0;
        long deadline = System.nanoTime() + STALL_LIMIT_MILLIS * 1_000_000L;
        int[] attach = fds;
        Epoll waiter = null; // only made when the socket is full, which is rare
        try {
            while (sent < total) {
                long n = UnixSockets.send(socket, new MemorySegment[] {buffer.asSlice(sent, total - sent)}, attach);
                if (n == Libc.AGAIN) {
                    if (System.nanoTime() - deadline > 0) throw new IOException("peer stopped reading for " + STALL_LIMIT_MILLIS + " ms");
                    if (waiter == null) {
                        waiter = new Epoll(1);
                        waiter.add(socket.get(), Epoll.EPOLLOUT, 0);
                    }
                    waiter.await(100);
                    continue;
                }
                sent += n;
                attach = new int[0];
            }
        } finally {
            if (waiter != null) waiter.close();
        }
    }

    /** A reply: same request, flags exactly 0x5. */
    public void reply(int request, MemorySegment payload) throws IOException {
        send(request, Header.REPLY_FLAGS, payload, new int[0]);
    }

    public void replyU64(int request, long value) throws IOException {
        MemorySegment p = MemorySegment.ofArray(new long[] {value});
        reply(request, p);
    }

    @Override
    public void close() {
        if (arena.scope().isAlive()) arena.close();
    }
}
