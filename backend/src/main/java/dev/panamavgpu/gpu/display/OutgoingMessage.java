package dev.panamavgpu.gpu.display;

import java.lang.foreign.MemorySegment;

/**
 * The one message on its way into the GPU socket, as a gather list of pieces (for an UPDATE: the
 * header, then rows that may be the resource's own memory), and how much of it the socket took.
 * Loop thread only.
 */
final class OutgoingMessage {
    /** sendmsg takes at most IOV_MAX (1024) pieces; the rest goes in the next call. */
    static final int MAX_PIECES = 1024;

    private MemorySegment[] pieces;  // null: nothing in flight
    private int part;                // the piece being sent
    private long offset;             // bytes of that piece already sent
    private long remaining;          // bytes of the message not yet sent

    boolean isEmpty() { return pieces == null; }
    long remaining() { return remaining; }

    void start(MemorySegment... p) {
        pieces = p;
        part = 0;
        offset = 0;
        long n = 0;
        for (MemorySegment s : p) n += s.byteSize();
        remaining = n;
    }

    void clear() {
        pieces = null;
        part = 0;
        offset = 0;
        remaining = 0;
    }

    /** The next gather list to hand to sendmsg: the unsent pieces, the first one cut where the socket stopped. */
    MemorySegment[] unsent() {
        int count = Math.min(pieces.length - part, MAX_PIECES);
        MemorySegment[] v = new MemorySegment[count];
        System.arraycopy(pieces, part, v, 0, count);
        v[0] = v[0].asSlice(offset);
        return v;
    }

    /** The socket took {@code n} more bytes; the message is done (empty) when all are gone. */
    void advance(long n) {
        remaining -= n;
        while (n > 0) {
            long left = pieces[part].byteSize() - offset;
            if (n < left) {
                offset += n;
                return;
            }
            n -= left;
            part++;
            offset = 0;
        }
        if (part == pieces.length) clear();
    }

    /** Whether an unsent piece lies in {@code memory}. */
    boolean readsFrom(MemorySegment memory) {
        if (pieces == null) return false;
        long lo = memory.address(), hi = lo + memory.byteSize();
        for (int i = part; i < pieces.length; i++) {
            MemorySegment p = pieces[i];
            if (p.isNative() && p.address() < hi && p.address() + p.byteSize() > lo) return true;
        }
        return false;
    }

    /** Copies the unsent bytes, in order, to the start of {@code dst} (at least {@link #remaining} long). */
    void copyUnsentTo(MemorySegment dst) {
        long at = 0;
        for (int i = part; i < pieces.length; i++) {
            MemorySegment p = i == part ? pieces[i].asSlice(offset) : pieces[i];
            MemorySegment.copy(p, 0, dst, at, p.byteSize());
            at += p.byteSize();
        }
    }
}
