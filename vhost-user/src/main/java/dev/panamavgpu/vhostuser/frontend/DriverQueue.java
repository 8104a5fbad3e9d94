package dev.panamavgpu.vhostuser.frontend;

import static dev.panamavgpu.vhostuser.virtqueue.Ring.*;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The driver (guest) side of a split virtqueue: places chains in the descriptor table and avail
 * ring, and collects used entries. Used by tests and test-guest to play the guest kernel.
 */
public final class DriverQueue {
    /** One buffer of a chain: guest-physical address and length. */
    public record Buffer(long gpa, int length) {}

    /** One used entry: the head descriptor and the bytes the device wrote. */
    public record Used(int head, int length) {}

    /** Most buffers in one indirect chain built here. */
    public static final int INDIRECT_CAPACITY = 16;

    private final GuestRam ram;
    private final int size;
    private final long descGpa, availGpa, usedGpa;
    private final MemorySegment desc, avail, used;
    private final ArrayDeque<Integer> free = new ArrayDeque<>();
    private final int[] chainLength;
    private final long[] indirectTables;
    private int availIdx;
    private int lastUsed;
    private boolean eventIdx;

    public DriverQueue(GuestRam ram, int size) {
        this.ram = ram;
        this.size = size;
        this.descGpa = ram.alloc(descTableSize(size), 16);
        this.availGpa = ram.alloc(availSize(size), 2);
        this.usedGpa = ram.alloc(usedSize(size), 4);
        this.desc = ram.at(descGpa, descTableSize(size));
        this.avail = ram.at(availGpa, availSize(size));
        this.used = ram.at(usedGpa, usedSize(size));
        desc.fill((byte) 0);
        avail.fill((byte) 0);
        used.fill((byte) 0);
        for (int i = 0; i < size; i++) free.add(i);
        this.chainLength = new int[size];
        this.indirectTables = new long[size];
    }

    public int size() { return size; }
    public long descUserAddr() { return ram.userAddr(descGpa); }
    public long availUserAddr() { return ram.userAddr(availGpa); }
    public long usedUserAddr() { return ram.userAddr(usedGpa); }
    public int freeDescriptors() { return free.size(); }
    public int availIndex() { return availIdx; }

    /** With EVENT_IDX the driver asks for an interrupt after every used entry by keeping used_event current. */
    public void useEventIdx(boolean on) { eventIdx = on; }

    /** Adds a chain of device-readable then device-writable buffers; returns the head, or -1 if the table is full. */
    public int add(List<Buffer> readable, List<Buffer> writable) {
        int n = readable.size() + writable.size();
        if (n == 0 || n > free.size()) return -1;
        int head = -1, prev = -1;
        for (int i = 0; i < n; i++) {
            int d = free.poll();
            boolean w = i >= readable.size();
            Buffer b = w ? writable.get(i - readable.size()) : readable.get(i);
            writeDesc(desc, d, b.gpa(), b.length(), w ? F_WRITE : 0, 0);
            if (prev >= 0) linkNext(desc, prev, d); else head = d;
            prev = d;
        }
        chainLength[head] = n;
        return head;
    }

    /** Adds a chain through one indirect table placed in guest RAM; returns the head or -1. */
    public int addIndirect(List<Buffer> readable, List<Buffer> writable) {
        int n = readable.size() + writable.size();
        if (n == 0 || n > INDIRECT_CAPACITY || free.isEmpty()) return -1;
        int head = free.poll();
        // one reusable table per head slot, so long runs do not exhaust guest RAM
        if (indirectTables[head] == 0) indirectTables[head] = ram.alloc(DESC_SIZE * INDIRECT_CAPACITY, 16);
        long tableGpa = indirectTables[head];
        MemorySegment table = ram.at(tableGpa, DESC_SIZE * n);
        for (int i = 0; i < n; i++) {
            boolean w = i >= readable.size();
            Buffer b = w ? writable.get(i - readable.size()) : readable.get(i);
            writeDesc(table, i, b.gpa(), b.length(), (w ? F_WRITE : 0) | (i + 1 < n ? F_NEXT : 0), i + 1 < n ? i + 1 : 0);
        }
        writeDesc(desc, head, tableGpa, (int) (DESC_SIZE * n), F_INDIRECT, 0);
        chainLength[head] = 1;
        return head;
    }

    /** Writes a raw descriptor (for malformed-chain tests). */
    public void writeRaw(int index, long addr, int len, int flags, int next) {
        writeDesc(desc, index, addr, len, flags, next);
    }

    /** Takes a descriptor off the free list for a hand-built chain. */
    public int takeDescriptor() { return free.poll(); }

    /** Puts {@code head} in the avail ring (not yet visible). */
    public void push(int head) {
        avail.set(U16, AVAIL_RING + 2L * (availIdx % size), (short) head);
        availIdx = (availIdx + 1) & 0xffff;
    }

    /** Makes pushed chains visible to the device (release store of avail.idx). */
    public void publish() {
        U16_ATOMIC.setRelease(avail, AVAIL_IDX, (short) availIdx);
        VarHandle.fullFence();
    }

    /** Forces avail.idx to any value (for broken-ring tests). */
    public void setAvailIdxRaw(int idx) {
        U16_ATOMIC.setRelease(avail, AVAIL_IDX, (short) idx);
    }

    /** Should the driver kick? (avail_event with EVENT_IDX, else the NO_NOTIFY flag) */
    public boolean needsKick(int oldAvail) {
        VarHandle.fullFence();
        if (eventIdx) {
            int availEvent = Short.toUnsignedInt(used.get(U16, availEventOffset(size)));
            return needEvent(availEvent, availIdx, oldAvail);
        }
        return (Short.toUnsignedInt(used.get(U16, USED_FLAGS)) & USED_F_NO_NOTIFY) == 0;
    }

    /** Collects used entries published so far and frees their descriptors. */
    public List<Used> collect() {
        List<Used> out = new ArrayList<>();
        int usedIdx = Short.toUnsignedInt((short) U16_ATOMIC.getAcquire(used, USED_IDX));
        while (lastUsed != usedIdx) {
            long at = USED_RING + USED_ELEM_SIZE * (lastUsed % size);
            int head = used.get(U32, at);
            int len = used.get(U32, at + 4);
            out.add(new Used(head, len));
            release(head);
            lastUsed = (lastUsed + 1) & 0xffff;
        }
        if (eventIdx) avail.set(U16, usedEventOffset(size), (short) lastUsed);
        return out;
    }

    /** Used entries the device has published but {@link #collect} has not taken yet. */
    public int pendingUsed() {
        return (Short.toUnsignedInt((short) U16_ATOMIC.getAcquire(used, USED_IDX)) - lastUsed) & 0xffff;
    }

    private void release(int head) {
        if (head < 0 || head >= size) return;
        int n = chainLength[head];
        int d = head;
        for (int i = 0; i < n; i++) {
            free.add(d);
            d = Short.toUnsignedInt(desc.get(U16, DESC_SIZE * d + DESC_NEXT));
        }
        chainLength[head] = 0;
    }

    private static void writeDesc(MemorySegment table, int i, long addr, int len, int flags, int next) {
        long d = DESC_SIZE * i;
        table.set(U64_UNALIGNED, d + DESC_ADDR, addr);
        table.set(U32_UNALIGNED, d + DESC_LEN, len);
        table.set(U16_UNALIGNED, d + DESC_FLAGS, (short) flags);
        table.set(U16_UNALIGNED, d + DESC_NEXT, (short) next);
    }

    private static void linkNext(MemorySegment table, int from, int to) {
        long d = DESC_SIZE * from;
        int flags = Short.toUnsignedInt(table.get(U16_UNALIGNED, d + DESC_FLAGS));
        table.set(U16_UNALIGNED, d + DESC_FLAGS, (short) (flags | F_NEXT));
        table.set(U16_UNALIGNED, d + DESC_NEXT, (short) to);
    }
}
