package dev.panamavgpu.vhostuser.virtqueue;

import dev.panamavgpu.vhostuser.memory.GuestAccess;
import dev.panamavgpu.vhostuser.memory.GuestMemoryFault;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * A validated descriptor chain: the device-readable buffers, then the device-writable ones, all
 * already translated to bounds-checked guest memory segments. Belongs to the queue it came from
 * and is completed with {@link SplitQueue#addUsed}.
 */
public final class DescriptorChain {
    private final int head;
    private final List<MemorySegment> readable;
    private final List<MemorySegment> writable;
    private final long readableLength;
    private final long writableLength;

    private final SplitQueue origin;

    DescriptorChain(SplitQueue origin, int head, List<MemorySegment> readable, List<MemorySegment> writable, long readableLength, long writableLength) {
        this.origin = origin;
        this.head = head;
        this.readable = readable;
        this.writable = writable;
        this.readableLength = readableLength;
        this.writableLength = writableLength;
    }

    public int head() { return head; }
    /** True if this chain was taken from {@code q} (and not from an earlier incarnation of the ring). */
    public boolean belongsTo(SplitQueue q) { return origin == q; }
    public List<MemorySegment> readable() { return readable; }
    public List<MemorySegment> writable() { return writable; }
    public long readableLength() { return readableLength; }
    public long writableLength() { return writableLength; }

    /** Copies readable bytes from {@code offset} into {@code dst} (up to its size); returns bytes copied. */
    public long read(long offset, MemorySegment dst) throws GuestMemoryFault {
        return gather(readable, offset, dst, true);
    }

    /** Copies {@code src} into the writable part from {@code offset}, as far as it fits; returns bytes copied. */
    public long write(long offset, MemorySegment src) throws GuestMemoryFault {
        return gather(writable, offset, src, false);
    }

    private static long gather(List<MemorySegment> parts, long offset, MemorySegment buf, boolean toBuf) throws GuestMemoryFault {
        long want = buf.byteSize(), done = 0, skip = offset;
        for (MemorySegment p : parts) {
            if (done == want) break;
            if (skip >= p.byteSize()) { skip -= p.byteSize(); continue; }
            long n = Math.min(p.byteSize() - skip, want - done);
            if (toBuf) GuestAccess.copy(p, skip, buf, done, n); else GuestAccess.copy(buf, done, p, skip, n);
            done += n;
            skip = 0;
        }
        return done;
    }

    @Override
    public String toString() {
        return "chain{head " + head + ", readable " + readableLength + " B, writable " + writableLength + " B}";
    }
}
