package dev.panamavgpu.vhostuser.message;

import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.ffm.UnixSockets;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames vhost-user messages out of a non-blocking stream socket. Reads never go past the current
 * message, so the fds that ride on a message's first byte are attributed to it. Short reads are
 * resumed on the next readiness event.
 */
public final class MessageReader implements AutoCloseable {
    private final Fd socket;
    private final int maxPayload;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment header;
    private final MemorySegment payload;
    private long have;           // bytes of the current message received so far (header + payload)
    private long payloadSize = -1;
    private final List<Fd> fds = new ArrayList<>();

    public MessageReader(Fd socket, int maxPayload) {
        this.socket = socket;
        this.maxPayload = maxPayload;
        this.header = arena.allocate(Header.SIZE);
        this.payload = arena.allocate(Math.max(8, maxPayload));
    }

    /**
     * The next complete message, or null if more bytes are needed. Throws EOFException when the peer
     * closed, and IOException for a protocol violation (oversized payload, too many fds).
     */
    public Message read() throws IOException {
        while (true) {
            long want;
            MemorySegment into;
            if (have < Header.SIZE) {
                into = header.asSlice(have);
                want = Header.SIZE - have;
            } else {
                if (payloadSize < 0) {
                    long size = Integer.toUnsignedLong(Header.size(header));
                    if (size > maxPayload) {
                        discardFds();
                        throw new IOException("message " + Request.name(Header.request(header)) + " announces " + size + " payload bytes (max " + maxPayload + ")");
                    }
                    payloadSize = size;
                }
                long got = have - Header.SIZE;
                want = payloadSize - got;
                if (want == 0) return complete();
                into = payload.asSlice(got);
            }
            UnixSockets.Received r = UnixSockets.receive(socket, into, want);
            fds.addAll(r.fds());
            if (fds.size() > UnixSockets.MAX_FDS) {
                discardFds();
                throw new IOException("too many fds with one message");
            }
            if (r.bytes() == Libc.AGAIN) return null;
            if (r.bytes() == 0) {
                discardFds();
                throw new EOFException(have == 0 ? "front-end closed the connection" : "front-end closed the connection mid-message");
            }
            have += r.bytes();
        }
    }

    private Message complete() {
        byte[] copy = payload.asSlice(0, payloadSize).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        Message m = new Message(Header.request(header), Header.flags(header), MemorySegment.ofArray(copy), List.copyOf(fds));
        fds.clear();
        have = 0;
        payloadSize = -1;
        return m;
    }

    private void discardFds() {
        fds.forEach(Fd::close);
        fds.clear();
    }

    /** True if part of a message has been received. */
    public boolean midMessage() { return have > 0; }

    @Override
    public void close() {
        discardFds();
        if (arena.scope().isAlive()) arena.close();
    }
}
