package dev.panamavgpu.input;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Reports waiting for the guest's eventq buffers, bounded by count: a guest that posts no buffers
 * (not booted, driver not loaded, paused) costs at most {@code capacity} reports. A motion report
 * replaces a waiting motion report at the tail (only the newest position matters); past the bound a
 * whole report is dropped (never one that is half delivered, so SYN framing holds): the oldest one
 * that releases nothing, else the oldest release of a key a later report touches again, so a flood
 * never leaves a key stuck down in the guest (a queue of releases only holds one per key, and there
 * are fewer keys than the bound).
 * Safe from any thread: producers are viewer threads, the consumer is the device's loop thread.
 */
public final class PendingReports {
    private final int capacity;
    private final ArrayDeque<InputReport> queue = new ArrayDeque<>();
    private int headDelivered; // events of the head report already in guest buffers
    private long dropped, coalesced;

    public PendingReports(int capacity) {
        if (capacity < 2) throw new IllegalArgumentException("capacity " + capacity);
        this.capacity = capacity;
    }

    /** Adds {@code r}; returns true if the queue was empty before (the consumer needs a nudge). */
    public synchronized boolean offer(InputReport r) {
        boolean wasEmpty = queue.isEmpty();
        InputReport tail = queue.peekLast();
        boolean tailUntouched = queue.size() > 1 || headDelivered == 0;
        if (r.motionOnly() && tail != null && tail.motionOnly() && tailUntouched) {
            queue.pollLast();
            queue.addLast(merge(tail, r));
            coalesced++;
            return false;
        }
        if (queue.size() >= capacity) {
            dropOne(r);
            dropped++;
        }
        queue.addLast(r);
        return wasEmpty;
    }

    /** Removes one report to make room for {@code incoming} (see the class comment for which). */
    private void dropOne(InputReport incoming) {
        List<InputReport> all = new ArrayList<>(queue);
        int first = headDelivered == 0 ? 0 : 1; // keep the half-delivered head
        int victim = -1;
        for (int i = first; i < all.size() && victim < 0; i++) if (!all.get(i).releases()) victim = i;
        for (int i = first; i < all.size() && victim < 0; i++) {
            for (int j = i + 1; j <= all.size() && victim < 0; j++) {
                InputReport later = j < all.size() ? all.get(j) : incoming;
                if (all.get(i).releasesSupersededBy(later)) victim = i;
            }
        }
        if (victim < 0) victim = first; // not reached with fewer keys than the bound; the bound holds anyway
        all.remove(victim);
        queue.clear();
        queue.addAll(all);
    }

    /** A motion report with the newest value of each axis of both. */
    private static InputReport merge(InputReport older, InputReport newer) {
        InputEvent x = null, y = null;
        for (InputReport r : new InputReport[] {older, newer})
            for (InputEvent e : r.events())
                if (e.type() == Evdev.EV_ABS) {
                    if (e.code() == Evdev.ABS_X) x = e;
                    else y = e;
                }
        List<InputEvent> ev = new ArrayList<>(3);
        if (x != null) ev.add(x);
        if (y != null) ev.add(y);
        ev.add(InputEvent.SYN);
        return new InputReport(ev, true);
    }

    /** The next event to deliver, or null; {@link #taken} must follow once it is in a guest buffer. */
    public synchronized InputEvent peek() {
        InputReport head = queue.peekFirst();
        return head == null ? null : head.events().get(headDelivered);
    }

    /** The event {@link #peek} returned is delivered. */
    public synchronized void taken() {
        InputReport head = queue.peekFirst();
        if (head == null) return;
        if (++headDelivered >= head.events().size()) {
            queue.pollFirst();
            headDelivered = 0;
        }
    }

    public synchronized void clear() {
        queue.clear();
        headDelivered = 0;
    }

    public synchronized int size() { return queue.size(); }
    public synchronized long dropped() { return dropped; }
    public synchronized long coalesced() { return coalesced; }
    public int capacity() { return capacity; }
}
