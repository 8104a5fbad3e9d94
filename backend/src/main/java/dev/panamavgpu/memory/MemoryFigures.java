package dev.panamavgpu.memory;

/**
 * A snapshot of what a {@link MemoryManager} holds and has done. Bytes: {@code resident} pixel stores
 * in RAM (of which {@code pinned} may not move), {@code pagedOut} in the page file, {@code reserved}
 * created but never written, {@code tables} small per-object state (backing tables, cursor images).
 * Page-file failures are counted by direction; {@code pagingSuspended} while a failed page file is
 * not being used.
 */
public record MemoryFigures(long resident, long pinned, long pagedOut, long reserved, long tables, int buffers,
                            long evictions, long evictedBytes, long pageIns, long refusals,
                            long pageOutFailures, long pageInFailures, boolean pagingSuspended,
                            long maxResident, long maxTotal) {
    public long total() { return resident + pagedOut + reserved + tables; }
}
