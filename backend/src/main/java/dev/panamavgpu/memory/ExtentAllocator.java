package dev.panamavgpu.memory;

import java.util.Map;
import java.util.TreeMap;

/**
 * Hands out page-aligned ranges of a fixed-size space (the page file) first-fit, and merges freed
 * ranges with their free neighbours so the space does not fragment into pieces too small to use.
 * Not thread-safe: owned by its {@link PageFile}.
 */
final class ExtentAllocator {
    static final long PAGE = 4096;

    private final long capacity;
    private final TreeMap<Long, Long> free = new TreeMap<>(); // start -> length
    private long used;

    ExtentAllocator(long capacity) {
        if (capacity <= 0 || capacity % PAGE != 0) throw new IllegalArgumentException("capacity " + capacity);
        this.capacity = capacity;
        free.put(0L, capacity);
    }

    static long roundUp(long bytes) {
        return Math.addExact(bytes, PAGE - 1) & ~(PAGE - 1);
    }

    /** The start of a free range of {@code bytes} (rounded up to pages), or -1 if no range is large enough. */
    long allocate(long bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("extent of " + bytes);
        long len = roundUp(bytes);
        for (Map.Entry<Long, Long> e : free.entrySet()) {
            long start = e.getKey(), size = e.getValue(); // read before remove(): TreeMap reuses the entry
            if (size < len) continue;
            free.remove(start);
            if (size > len) free.put(start + len, size - len);
            used += len;
            return start;
        }
        return -1;
    }

    /** Gives back a range obtained from {@link #allocate} with the same {@code bytes}. */
    void free(long start, long bytes) {
        long len = roundUp(bytes);
        if (start < 0 || start % PAGE != 0 || len > capacity - start) throw new IllegalArgumentException("extent " + start + "+" + len);
        Map.Entry<Long, Long> before = free.floorEntry(start);
        if (before != null && before.getKey() + before.getValue() > start) throw new IllegalStateException("double free at " + start);
        Long afterLen = free.get(start + len);
        if (afterLen == null) {
            Map.Entry<Long, Long> after = free.ceilingEntry(start);
            if (after != null && after.getKey() < start + len) throw new IllegalStateException("double free at " + start);
        }
        long s = start, l = len;
        if (before != null && before.getKey() + before.getValue() == start) {
            s = before.getKey();
            l += before.getValue();
            free.remove(s);
        }
        if (afterLen != null) {
            free.remove(start + len);
            l += afterLen;
        }
        free.put(s, l);
        used -= len;
    }

    long used() { return used; }
    long capacity() { return capacity; }
    int freeRanges() { return free.size(); }
}
