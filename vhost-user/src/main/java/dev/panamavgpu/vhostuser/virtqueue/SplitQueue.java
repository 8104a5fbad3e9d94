package dev.panamavgpu.vhostuser.virtqueue;

import static dev.panamavgpu.vhostuser.virtqueue.Ring.*;

import dev.panamavgpu.vhostuser.memory.GuestMemory;
import dev.panamavgpu.vhostuser.memory.GuestMemoryException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

/**
 * The device side of one split virtqueue, living in guest memory. Not thread-safe: it belongs to
 * the connection's event-loop thread.
 *
 * <p>Ordering follows the virtio memory model as Linux and rust-vmm implement it: avail.idx is read
 * with acquire before ring entries and descriptors; used entries are written plainly and used.idx is
 * published with release; a full fence separates re-enabling notifications from re-reading avail.idx
 * and precedes reading used_event.
 *
 * <p>Every chain is validated before a device sees it. A malformed chain is returned to the driver
 * at once with used length 0 and processing goes on; only an impossible avail index (the ring
 * itself is broken) raises {@link QueueException}.
 */
public final class SplitQueue {
    /** Largest indirect table accepted, in descriptors (64 KiB of table). */
    public static final int MAX_INDIRECT_ENTRIES = 4096;

    private final int size;
    private final MemorySegment desc, avail, used;
    private final GuestMemory memory;
    private final boolean eventIdx;
    private int lastAvail;     // next avail entry to consume (free-running u16)
    private int usedIdx;       // next used index to publish (free-running u16)
    private int publishedUsed; // used.idx as last stored
    private int signalledUsed; // used.idx when the driver was last notified (EVENT_IDX "old")
    private long malformed;

    public SplitQueue(int size, MemorySegment desc, MemorySegment avail, MemorySegment used, GuestMemory memory,
                      boolean eventIdx, int lastAvailIdx) {
        if (size <= 0 || size > MAX_QUEUE_SIZE || Integer.bitCount(size) != 1) throw new IllegalArgumentException("queue size " + size);
        if (desc.byteSize() < descTableSize(size) || avail.byteSize() < availSize(size) || used.byteSize() < usedSize(size)) {
            throw new IllegalArgumentException("ring areas too small for size " + size);
        }
        this.size = size;
        this.desc = desc;
        this.avail = avail;
        this.used = used;
        this.memory = memory;
        this.eventIdx = eventIdx;
        this.lastAvail = lastAvailIdx & 0xffff;
        // On a restart the driver's used.idx tells where the device left off.
        this.usedIdx = Short.toUnsignedInt((short) U16_ATOMIC.getAcquire(used, USED_IDX));
        this.publishedUsed = usedIdx;
        this.signalledUsed = usedIdx;
    }

    public int size() { return size; }
    public int lastAvailIndex() { return lastAvail; }
    public long malformedChains() { return malformed; }
    public GuestMemory memory() { return memory; }

    /**
     * The next valid chain, or null when the ring is empty. Malformed chains met on the way are
     * completed with length 0 and skipped.
     */
    public DescriptorChain pop() throws QueueException {
        while (true) {
            int availIdx = Short.toUnsignedInt((short) U16_ATOMIC.getAcquire(avail, AVAIL_IDX));
            int pending = (availIdx - lastAvail) & 0xffff;
            if (pending == 0) return null;
            if (pending > size) throw new QueueException("avail.idx " + availIdx + " runs " + pending + " entries ahead of " + lastAvail + " (queue size " + size + ")");
            int head = Short.toUnsignedInt(avail.get(U16, AVAIL_RING + 2L * (lastAvail % size)));
            lastAvail = (lastAvail + 1) & 0xffff;
            if (head >= size) throw new QueueException("avail ring names descriptor " + head + " of " + size);
            try {
                return walk(head);
            } catch (ChainFault f) {
                malformed++;
                addUsed(head, 0);
            }
        }
    }

    /** Gives a chain back to the driver with {@code written} bytes written; visible after {@link #publish}. */
    public void addUsed(int head, long written) {
        long at = USED_RING + USED_ELEM_SIZE * (usedIdx % size);
        used.set(U32, at, head);
        used.set(U32, at + 4, (int) Math.min(written, 0xffffffffL));
        usedIdx = (usedIdx + 1) & 0xffff;
    }

    /**
     * Publishes the used entries added since the last call (release store of used.idx) and says
     * whether the driver asked to be notified of them.
     */
    public boolean publish() {
        if (usedIdx == publishedUsed) return false;
        U16_ATOMIC.setRelease(used, USED_IDX, (short) usedIdx);
        publishedUsed = usedIdx;
        VarHandle.fullFence();
        boolean notify;
        if (eventIdx) {
            int usedEvent = Short.toUnsignedInt(avail.get(U16, usedEventOffset(size)));
            notify = needEvent(usedEvent, usedIdx, signalledUsed);
        } else {
            notify = (Short.toUnsignedInt(avail.get(U16, AVAIL_FLAGS)) & AVAIL_F_NO_INTERRUPT) == 0;
        }
        if (notify) signalledUsed = usedIdx;
        return notify;
    }

    /**
     * Asks the driver to kick for anything after what was consumed, then re-checks: returns true if
     * new entries arrived meanwhile (the caller must process again instead of sleeping).
     */
    public boolean enableNotification() {
        if (eventIdx) used.set(U16, availEventOffset(size), (short) lastAvail);
        else used.set(U16, USED_FLAGS, (short) 0);
        VarHandle.fullFence();
        int availIdx = Short.toUnsignedInt((short) U16_ATOMIC.getAcquire(avail, AVAIL_IDX));
        return availIdx != lastAvail;
    }

    private static final class ChainFault extends Exception {
        ChainFault(String m) { super(m, null, false, false); }
    }

    private DescriptorChain walk(int head) throws ChainFault {
        List<MemorySegment> readable = new ArrayList<>(2), writable = new ArrayList<>(2);
        long[] lengths = new long[2];
        MemorySegment table = desc;
        int tableSize = size;
        int index = head;
        int ttl = size;
        boolean inIndirect = false;
        boolean sawWritable = false;
        while (true) {
            if (ttl-- <= 0) throw new ChainFault("descriptor loop");
            if (index >= tableSize) throw new ChainFault("next " + index + " >= " + tableSize);
            long d = DESC_SIZE * index;
            long addr = table.get(U64_UNALIGNED, d + DESC_ADDR);
            long len = Integer.toUnsignedLong(table.get(U32_UNALIGNED, d + DESC_LEN));
            int flags = Short.toUnsignedInt(table.get(U16_UNALIGNED, d + DESC_FLAGS));
            int next = Short.toUnsignedInt(table.get(U16_UNALIGNED, d + DESC_NEXT));
            if ((flags & F_INDIRECT) != 0) {
                if (inIndirect) throw new ChainFault("indirect descriptor inside an indirect table");
                if ((flags & F_NEXT) != 0) throw new ChainFault("indirect descriptor with NEXT");
                if (len == 0 || len % DESC_SIZE != 0) throw new ChainFault("indirect table length " + len);
                if (len / DESC_SIZE > MAX_INDIRECT_ENTRIES) throw new ChainFault("indirect table of " + len / DESC_SIZE + " entries");
                table = indirectTable(addr, len);
                tableSize = (int) (len / DESC_SIZE);
                ttl = tableSize;
                index = 0;
                inIndirect = true;
                continue;
            }
            boolean write = (flags & F_WRITE) != 0;
            if (write) sawWritable = true;
            else if (sawWritable) throw new ChainFault("device-readable descriptor after a writable one");
            if (len > 0) {
                List<MemorySegment> parts;
                try {
                    parts = memory.slices(addr, len);
                } catch (GuestMemoryException e) {
                    throw new ChainFault(e.getMessage());
                }
                (write ? writable : readable).addAll(parts);
                int k = write ? 1 : 0;
                lengths[k] += len;
                if (lengths[k] > 0xffffffffL) throw new ChainFault("chain longer than 4 GiB");
            }
            if ((flags & F_NEXT) == 0) break;
            index = next;
        }
        return new DescriptorChain(this, head, readable, writable, lengths[0], lengths[1]);
    }

    private MemorySegment indirectTable(long addr, long len) throws ChainFault {
        try {
            List<MemorySegment> parts = memory.slices(addr, len);
            if (parts.size() == 1) return parts.getFirst();
            // A table straddling two regions is copied whole (libvhost-user mishandles this case).
            MemorySegment copy = MemorySegment.ofArray(new byte[(int) len]);
            memory.read(addr, copy);
            return copy;
        } catch (GuestMemoryException e) {
            throw new ChainFault("indirect table: " + e.getMessage());
        }
    }
}
