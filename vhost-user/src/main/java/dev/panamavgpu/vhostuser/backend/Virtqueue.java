package dev.panamavgpu.vhostuser.backend;

import dev.panamavgpu.vhostuser.virtqueue.DescriptorChain;

/**
 * What a device sees of one of its queues. Used on the connection's loop thread only. Chains may be
 * held (e.g. waiting for the display) and completed later; completions of chains from a ring that
 * has since been stopped or reset are dropped.
 */
public interface Virtqueue {
    int index();

    /** True while the ring is started and enabled. */
    boolean isRunning();

    /** The next valid chain, or null if there is none (or the ring is not running or broken). */
    DescriptorChain pop();

    /** Returns {@code chain} to the driver with {@code written} bytes; visible at the next {@link #flush}. */
    void complete(DescriptorChain chain, long written);

    /** Publishes completed chains and signals the driver once if it asked for it. */
    void flush();
}
