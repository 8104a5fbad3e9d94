package dev.panamavgpu.qxl;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * The consumer side of a QXL command or cursor ring in shared memory. {@code cons} is kept in a host
 * shadow (the guest may scribble on the shared copy); {@code prod} is read with acquire and checked
 * against the ring size. Going idle follows spice's CONS_WAIT: set notify_on_prod = cons + 1, full
 * fence (the StoreLoad of this Dekker-style handshake), re-read prod.
 */
final class CommandRing {
    record Item(long data, int type, boolean notifyProducer) {}

    private final MemorySegment region;
    private final long base;
    private final int size;
    private int cons;

    CommandRing(MemorySegment region, long base, int size) {
        this.region = region;
        this.base = base;
        this.size = size;
    }

    /** SPICE_RING_INIT: num_items, prod = cons = 0, notify_on_prod = 1, notify_on_cons = 0, items cleared. */
    void reset() {
        region.asSlice(base, QxlRing.ITEMS + size * QxlRing.COMMAND_SIZE).fill((byte) 0);
        region.set(QxlWire.LE32, base + QxlRing.NUM_ITEMS, size);
        QxlWire.setRelease(region, base + QxlRing.NOTIFY_ON_PROD, 1);
        cons = 0;
    }

    /** The next item, or null when the ring is empty (the producer will then kick on its next push). */
    Item pop() throws GuestBug {
        int prod = QxlWire.getAcquire(region, base + QxlRing.PROD);
        if (prod == cons) {
            QxlWire.setVolatile(region, base + QxlRing.NOTIFY_ON_PROD, cons + 1);
            VarHandle.fullFence();
            prod = QxlWire.getAcquire(region, base + QxlRing.PROD);
            if (prod == cons) return null;
        }
        if (Integer.compareUnsigned(prod - cons, size) > 0) {
            throw new GuestBug(GuestBug.Code.BAD_RING, "ring at 0x" + Long.toHexString(base) + ": prod " + Integer.toUnsignedString(prod)
                    + " is " + Integer.toUnsignedString(prod - cons) + " ahead of cons (size " + size + ")");
        }
        long item = base + QxlRing.ITEMS + (long) (cons & (size - 1)) * QxlRing.COMMAND_SIZE;
        long data = region.get(QxlWire.LE64, item);
        int type = region.get(QxlWire.LE32, item + 8);
        cons++;
        QxlWire.setRelease(region, base + QxlRing.CONS, cons);
        VarHandle.fullFence();
        boolean notify = cons == QxlWire.getVolatile(region, base + QxlRing.NOTIFY_ON_CONS);
        return new Item(data, type, notify);
    }
}
