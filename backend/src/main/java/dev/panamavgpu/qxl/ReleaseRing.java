package dev.panamavgpu.qxl;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * The producer side of the release ring, as QEMU's interface_release_resource/qxl_push_free_res:
 * each ring item is the head id of a list of released commands chained through their
 * QXLReleaseInfo.next in guest memory. The open list is published (prod++) on {@link #push};
 * one slot stays reserved for the list being built, so a full ring only delays publication.
 */
final class ReleaseRing {
    static final int BUNCH = 32; // QXL_FREE_BUNCH_SIZE: publish during a burst once this many wait

    private final MemorySegment region;
    private final long base;
    private int prod;
    private long lastInfo = -1;
    private int open;       // releases in the unpublished list
    private long pushed;    // lists published
    private long released;  // commands released

    ReleaseRing(MemorySegment region, long base) {
        this.region = region;
        this.base = base;
    }

    void reset() {
        region.asSlice(base, QxlRing.RELEASE_RING_BYTES).fill((byte) 0);
        region.set(QxlWire.LE32, base + QxlRing.NUM_ITEMS, QxlRing.RELEASE_RING_SIZE);
        QxlWire.setRelease(region, base + QxlRing.NOTIFY_ON_PROD, 1);
        prod = 0;
        lastInfo = -1;
        open = 0;
    }

    /** Appends a command to the open list. Offsets were checked when the command was decoded. */
    void release(QxlCommand.Release r) {
        if (open == 0) {
            region.set(QxlWire.LE64, itemOffset(prod), r.id());
        } else {
            region.set(QxlWire.LE64, lastInfo, r.id()); // previous info's next
        }
        region.set(QxlWire.LE64, r.infoOffset(), 0L);
        lastInfo = r.infoOffset();
        open++;
        released++;
    }

    /**
     * Publishes the open list if there is one and the ring has room. Returns true when the guest
     * asked to be told (prod reached notify_on_prod): the caller raises QXL_INTERRUPT_DISPLAY.
     */
    boolean push() {
        if (open == 0) return false;
        int cons = QxlWire.getAcquire(region, base + QxlRing.CONS);
        if (Integer.compareUnsigned(prod - cons, QxlRing.RELEASE_RING_SIZE - 1) >= 0) return false;
        prod++;
        QxlWire.setRelease(region, base + QxlRing.PROD, prod);
        VarHandle.fullFence();
        boolean notify = prod == QxlWire.getVolatile(region, base + QxlRing.NOTIFY_ON_PROD);
        region.set(QxlWire.LE64, itemOffset(prod), 0L);
        open = 0;
        lastInfo = -1;
        pushed++;
        return notify;
    }

    boolean wantsPush() { return open >= BUNCH; }
    int unpublished() { return open; }
    long listsPushed() { return pushed; }
    long released() { return released; }

    private long itemOffset(int counter) {
        return base + QxlRing.ITEMS + 8L * (counter & (QxlRing.RELEASE_RING_SIZE - 1));
    }
}
