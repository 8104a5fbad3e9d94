package dev.panamavgpu.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The host copy of one graphics object's pixels, as the {@link MemoryManager} keeps it. It starts
 * {@code UNTOUCHED} (reserved against the total budget, no memory), becomes {@code RESIDENT} on first
 * use (an anonymous mapping whose untouched pages stay unbacked), may be moved {@code PAGED_OUT} to
 * the page file while nobody uses it, and comes back on the next use. Only the manager changes it.
 */
public final class PixelBuffer {
    public enum State { UNTOUCHED, RESIDENT, PAGED_OUT, FREED }

    final long size;
    final String label;
    State state = State.UNTOUCHED;
    Arena arena;
    MemorySegment memory;
    PageFile.Extent extent;
    int pins;
    long useEpoch = -1; // the host epoch of its last use (many VMs only)

    PixelBuffer(long size, String label) {
        this.size = size;
        this.label = label;
    }

    public long size() { return size; }
    public State state() { return state; }
    /** False while the object has never been written: it reads as zeros. */
    public boolean hasContent() { return state == State.RESIDENT || state == State.PAGED_OUT; }

    @Override
    public String toString() { return label + " (" + size + " bytes, " + state + ")"; }
}
