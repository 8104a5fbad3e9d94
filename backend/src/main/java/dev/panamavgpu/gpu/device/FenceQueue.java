package dev.panamavgpu.gpu.device;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fenced requests waiting for their fence, per ring, in fence-id order. Ring {@link #GLOBAL} holds
 * the fences of plain FLAG_FENCE requests (virglrenderer's ctx-0 timeline, 32-bit ids); a context's
 * ring (FLAG_INFO_RING_IDX) is keyed by context and ring index. A retirement completes every waiting
 * request of that ring up to and including its id, oldest first. Loop thread only.
 */
final class FenceQueue {
    static final long GLOBAL = -1;
    private final Map<Long, TreeMap<Long, Runnable>> rings = new HashMap<>();
    private int waiting;

    static long ring(long ctxId, int ringIdx) { return (ctxId << 8) | ringIdx; }

    void add(long ring, long fenceId, Runnable complete) {
        TreeMap<Long, Runnable> q = rings.computeIfAbsent(ring, r -> new TreeMap<>(Long::compareUnsigned));
        Runnable before = q.put(fenceId, complete);
        if (before != null) before.run(); // a guest reusing a fence id: the earlier request is not held forever
        else waiting++;
    }

    /** Completes the ring's requests with ids up to {@code fenceId}; for {@link #GLOBAL} only the low 32 bits count. */
    void retire(long ring, long fenceId) {
        TreeMap<Long, Runnable> q = rings.get(ring);
        if (q == null) return;
        while (!q.isEmpty()) {
            long id = q.firstKey();
            long cmp = ring == GLOBAL ? id & 0xFFFF_FFFFL : id;
            if (Long.compareUnsigned(cmp, fenceId) > 0) break;
            waiting--;
            q.pollFirstEntry().getValue().run();
        }
        if (q.isEmpty()) rings.remove(ring);
    }

    /** Completes every request waiting on a ring of context {@code ctxId}: the context is gone, its fences never retire. */
    void retireContext(long ctxId) {
        for (Long ring : new java.util.ArrayList<>(rings.keySet())) {
            if (ring != GLOBAL && ring >>> 8 == ctxId) retire(ring, -1L); // -1: the largest u64
        }
    }

    /** Forgets every waiting request (reset: the device answers held chains itself). */
    void clear() {
        rings.clear();
        waiting = 0;
    }

    int waiting() { return waiting; }
}
