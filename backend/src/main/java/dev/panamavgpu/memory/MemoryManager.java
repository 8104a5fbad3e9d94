package dev.panamavgpu.memory;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Mman;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashSet;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two-tier host memory for graphics objects. Every byte a guest can cause is charged here before it
 * is allocated: pixel buffers against the total budget when they are created, and against the
 * resident budget when they are first used; small tables against both. When the resident budget
 * would be exceeded, the least recently used unpinned buffers are moved to the {@link PageFile}; a
 * buffer in the page file comes back on its next use. Buffers on a scanout are pinned and never
 * move. Refusals are values for the caller (an exception it turns into ERR_OUT_OF_MEMORY): nothing
 * is half-allocated, and what the guest already has keeps working.
 *
 * <p>A page file that fails (ENOSPC, EIO) suspends paging: the buffer being moved out stays resident,
 * the resident budget becomes a hard limit (past it, refusals), and paging is tried again after
 * {@link #PAGING_RETRY_MILLIS}; an episode is logged when it starts and when it ends. A buffer that
 * cannot be read back stays in the page file: its user gets a PAGE_FILE refusal and may try again.
 *
 * <p>With many VMs in one process each VM has its own manager, whose charges also go to the
 * process's {@link HostMemory} through the VM's {@link VmShare} (lock-free), and whose pinned bytes
 * are bounded by {@code maxPinned}; the {@link HostShrinker} asks it for bytes back with a task on
 * its loop ({@link #reclaim}).
 *
 * <p>Owned by one thread (the device's loop): no locks.
 */
public final class MemoryManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MemoryManager.class);
    /** How long paging stays off after the page file failed; space may return (files deleted, disk replaced). */
    public static final long PAGING_RETRY_MILLIS = 2000;

    private final MemoryLimits limits;
    private final MemoryBudget total;
    private final MemoryBudget resident;
    private final PageFile pageFile;
    private final LinkedHashSet<PixelBuffer> lru = new LinkedHashSet<>(); // resident buffers, least recent first
    private Consumer<MemorySegment> beforeUnmap = m -> {};
    private long pinnedBytes, pagedOutBytes, reservedBytes, tableBytes;
    private int buffers;
    private long evictions, evictedBytes, pageIns;
    private long pageOutFailures, pageInFailures;
    private final LongSupplier nanoClock;
    private final VmShare share;    // null when this manager is the process's only one
    private final HostMemory host;
    private final long maxPinned;
    private long pinClaim;          // sizes of the buffers with pins, whatever their state
    private long hostRefusals;
    private long pagingSuspendedSince = -1;   // nanoClock time of the last page-out failure; -1 while paging works
    private long episodeFailures;              // page-out failures in the current episode
    private boolean pageInEpisode;             // a page-in failed and none has succeeded since

    public MemoryManager(MemoryLimits limits) {
        this(limits, PageIo.UNNAMED_FILE, System::nanoTime);
    }

    /** With the page file's I/O and the clock given: tests play a full or failing disk. */
    MemoryManager(MemoryLimits limits, PageIo.Opener pageIo, LongSupplier nanoClock) {
        this(limits, pageIo, nanoClock, null, null, Long.MAX_VALUE);
    }

    /** One VM's manager in a process serving many: its caps are {@code vmLimits}, the host's budget is charged through {@code share}. */
    public MemoryManager(MemoryLimits vmLimits, HostMemory host, VmShare share, long maxPinned) {
        this(vmLimits, PageIo.UNNAMED_FILE, System::nanoTime, host, share, maxPinned);
    }

    MemoryManager(MemoryLimits limits, PageIo.Opener pageIo, LongSupplier nanoClock, HostMemory host, VmShare share, long maxPinned) {
        if ((host == null) != (share == null)) throw new IllegalArgumentException("a host budget needs the VM's share");
        this.host = host;
        this.share = share;
        this.maxPinned = maxPinned;
        this.limits = limits;
        this.total = new MemoryBudget(limits.maxTotal());
        this.resident = new MemoryBudget(limits.maxResident());
        this.pageFile = new PageFile(limits.pageDirectory(), limits.maxTotal(), pageIo);
        this.nanoClock = nanoClock;
    }


    /** Called with a buffer's memory just before it is unmapped (moved out or freed), so no one keeps using it. */
    public void onBeforeUnmap(Consumer<MemorySegment> listener) { this.beforeUnmap = listener; }

    /** Reserves a buffer of {@code size} bytes against the total budget; no memory is used yet. */
    public PixelBuffer reserve(long size, String label) throws MemoryUnavailableException {
        if (size <= 0) throw new IllegalArgumentException("buffer of " + size + " bytes");
        if (!total.tryCharge(size)) throw new MemoryUnavailableException(label + ": " + size + " bytes exceed the total budget (" + describe(total) + ")");
        if (share != null && !share.tryChargeTotal(size)) {
            total.release(size);
            hostRefusals++;
            throw new MemoryUnavailableException(label + ": " + size + " bytes exceed the host's total budget (" + host.total() + " of " + host.maxTotal() + " bytes in use)");
        }
        PixelBuffer b = new PixelBuffer(size, label);
        reservedBytes += size;
        buffers++;
        return b;
    }

    /**
     * The buffer's memory, ready to read and write: mapped on first use, brought back from the page
     * file if it was moved out, and marked most recently used. May move other buffers out first.
     */
    public MemorySegment use(PixelBuffer b) throws MemoryUnavailableException {
        switch (b.state) {
            case RESIDENT -> {
                lru.remove(b); // LinkedHashSet keeps insertion order: re-adding makes it the newest
                lru.add(b);
                noteUse(b);
                return b.memory;
            }
            case UNTOUCHED -> {
                map(b);
                reservedBytes -= b.size;
                noteUse(b);
                return b.memory;
            }
            case PAGED_OUT -> {
                map(b);
                try {
                    pageFile.read(b.extent, b.memory);
                } catch (ErrnoException e) {
                    unmap(b);
                    b.state = PixelBuffer.State.PAGED_OUT; // the copy in the page file is still there
                    pageInFailures++;
                    if (!pageInEpisode) {
                        pageInEpisode = true;
                        log.warn("page file in {}: cannot read {} back ({}); its commands fail until a read succeeds", pageFile.directory(), b.label, e.getMessage());
                    }
                    throw new MemoryUnavailableException(MemoryUnavailableException.Reason.PAGE_FILE, b.label + ": cannot read it back from the page file: " + e.getMessage());
                }
                if (pageInEpisode) {
                    pageInEpisode = false;
                    log.info("page file in {}: reads work again ({} failed in all)", pageFile.directory(), pageInFailures);
                }
                pageFile.free(b.extent);
                b.extent = null;
                pagedOutBytes -= b.size;
                pageIns++;
                noteUse(b);
                return b.memory;
            }
            default -> throw new IllegalStateException(b.label + " was freed");
        }
    }

    /** What the host's shrinker counts as this VM's demand: buffers used in the current epoch. */
    private void noteUse(PixelBuffer b) {
        if (share == null) return;
        long e = host.epoch();
        if (b.useEpoch != e) {
            b.useEpoch = e;
            share.noteUse(b.size, e);
        }
    }

    private void publish() {
        if (share != null) share.publish(resident.charged(), pinnedBytes);
    }

    /**
     * Charges {@code bytes} of resident memory to the host: granted while the host has room or this
     * VM is within its share; otherwise this VM's own coldest buffers go out until one of the two holds.
     * Refused only if nothing of this VM can move (all pinned, or paging suspended).
     */
    private boolean chargeHost(long bytes, PixelBuffer except) {
        if (share == null) return true;
        // above its share while the host is full: this VM pages its own coldest out until it is within its share
        while (!share.tryChargeResident(bytes)) {
            if (moveOut(bytes, except) == 0) {
                hostRefusals++;
                return false;
            }
        }
        return true;
    }

    /** Maps a resident copy (zero-filled), making room under the resident budget first. */
    private void map(PixelBuffer b) throws MemoryUnavailableException {
        makeRoom(b.size, b);
        // the host first: its rule looks at what this VM holds without the new buffer
        if (!chargeHost(b.size, b)) {
            throw new MemoryUnavailableException(b.label + ": the host's resident budget is exhausted and this VM has nothing cold to move out");
        }
        if (!resident.tryCharge(b.size)) {
            if (share != null) share.releaseResident(b.size);
            throw new MemoryUnavailableException(b.label + ": resident budget exhausted (" + describe(resident)
                    + (pagingSuspended() ? ", paging suspended: the page file failed" : ", the rest is pinned") + ")");
        }
        Arena arena = Arena.ofShared();
        try {
            b.memory = Mman.mapAnonymous(b.size, arena);
        } catch (ErrnoException e) {
            arena.close();
            resident.release(b.size);
            if (share != null) share.releaseResident(b.size);
            throw new MemoryUnavailableException(b.label + ": host refused " + b.size + " bytes: " + e.getMessage());
        }
        b.arena = arena;
        b.state = PixelBuffer.State.RESIDENT;
        if (b.pins > 0) pinnedBytes += b.size;
        lru.add(b);
        publish();
    }

    private void unmap(PixelBuffer b) {
        beforeUnmap.accept(b.memory);
        lru.remove(b);
        if (b.pins > 0) pinnedBytes -= b.size;
        b.arena.close();
        b.arena = null;
        b.memory = null;
        resident.release(b.size);
        if (share != null) share.releaseResident(b.size);
        publish();
    }

    /** Moves least recently used unpinned buffers out until {@code bytes} more fit the resident budget. */
    private void makeRoom(long bytes, PixelBuffer except) {
        if (bytes <= resident.limit() - resident.charged()) return;
        long need = bytes - (resident.limit() - resident.charged());
        moveOut(need, except);
    }

    /** Moves out up to {@code bytes} of cold buffers; returns what it freed. The shrinker calls this too. */
    public long moveOut(long bytes, PixelBuffer except) {
        long freed = 0;
        while (freed < bytes && pagingAllowed()) {
            PixelBuffer victim = coldest(except);
            if (victim == null || !pageOut(victim)) break;
            freed += victim.size;
        }
        return freed;
    }

    /** The host's shrinker asks for {@code bytes} back (a task on this VM's loop). */
    public long reclaim(long bytes) {
        long freed = moveOut(bytes, null);
        if (share != null) share.reclaimed(freed);
        return freed;
    }

    private PixelBuffer coldest(PixelBuffer except) {
        for (PixelBuffer b : lru) if (b != except && b.pins == 0) return b;
        return null;
    }

    /** False while paging is suspended after a failure and the retry time has not come. */
    private boolean pagingAllowed() {
        return pagingSuspendedSince < 0 || nanoClock.getAsLong() - pagingSuspendedSince >= PAGING_RETRY_MILLIS * 1_000_000L;
    }

    public boolean pagingSuspended() { return pagingSuspendedSince >= 0; }

    private boolean pageOut(PixelBuffer victim) {
        PageFile.Extent e;
        try {
            e = pageFile.write(victim.memory);
        } catch (ErrnoException ex) {
            // A full or failing disk: the victim stays resident (nothing was lost), refusals take over.
            pageOutFailures++;
            episodeFailures++;
            if (pagingSuspendedSince < 0) {
                log.warn("page file in {} failed ({}): buffers stay resident, the resident budget is a hard limit; retrying every {} ms",
                        pageFile.directory(), ex.getMessage(), PAGING_RETRY_MILLIS);
            }
            pagingSuspendedSince = nanoClock.getAsLong();
            return false;
        }
        if (e == null) return false; // the page file is full: keep the rest resident
        if (pagingSuspendedSince >= 0) {
            log.info("page file in {} works again after {} failed page-outs", pageFile.directory(), episodeFailures);
            pagingSuspendedSince = -1;
            episodeFailures = 0;
        }
        unmap(victim);
        victim.extent = e;
        victim.state = PixelBuffer.State.PAGED_OUT;
        pagedOutBytes += victim.size;
        evictions++;
        evictedBytes += victim.size;
        return true;
    }

    /**
     * Whether {@code b} may be pinned: it is already, or the buffers pinned (resident or not) plus it
     * stay within this VM's pinned bound (many VMs: the host budget split over the slots).
     */
    public boolean canPin(PixelBuffer b) {
        return canPin(b, null);
    }

    /** As {@link #canPin(PixelBuffer)}, with {@code replaced} (if not null) unpinned once: a scanout switching buffers. */
    public boolean canPin(PixelBuffer b, PixelBuffer replaced) {
        long freed = replaced != null && replaced != b && replaced.pins == 1 ? replaced.size : 0;
        return b.pins > 0 || b.size <= maxPinned - pinClaim + freed;
    }

    /** Pins a buffer (on a scanout): it stays resident once used, and is not moved out. Callers ask {@link #canPin} first. */
    public void pin(PixelBuffer b) {
        if (b.pins == 0) pinClaim += b.size;
        if (b.pins++ == 0 && b.state == PixelBuffer.State.RESIDENT) pinnedBytes += b.size;
        publish();
    }

    public void unpin(PixelBuffer b) {
        if (b.pins == 0) throw new IllegalStateException(b.label + " is not pinned");
        if (b.pins == 1) pinClaim -= b.size;
        if (--b.pins == 0 && b.state == PixelBuffer.State.RESIDENT) pinnedBytes -= b.size;
        publish();
    }

    /** Releases a buffer and all it was charged. */
    public void free(PixelBuffer b) {
        switch (b.state) {
            case RESIDENT -> unmap(b);
            case PAGED_OUT -> {
                pageFile.free(b.extent);
                b.extent = null;
                pagedOutBytes -= b.size;
            }
            case UNTOUCHED -> reservedBytes -= b.size;
            case FREED -> throw new IllegalStateException(b.label + " freed twice");
        }
        if (b.pins > 0) {
            pinClaim -= b.size;
            b.pins = 0;
        }
        b.state = PixelBuffer.State.FREED;
        total.release(b.size);
        if (share != null) share.releaseTotal(b.size);
        buffers--;
    }

    /** Charges a small table (backing entries, a cursor image) against both budgets. */
    public void chargeTable(long bytes, String what) throws MemoryUnavailableException {
        if (!total.tryCharge(bytes)) throw new MemoryUnavailableException(what + ": " + bytes + " bytes exceed the total budget");
        if (share != null && !share.tryChargeTotal(bytes)) {
            total.release(bytes);
            hostRefusals++;
            throw new MemoryUnavailableException(what + ": " + bytes + " bytes exceed the host's total budget");
        }
        makeRoom(bytes, null);
        if (!chargeHost(bytes, null)) {
            total.release(bytes);
            share.releaseTotal(bytes);
            throw new MemoryUnavailableException(what + ": " + bytes + " bytes exceed the host's resident budget");
        }
        if (!resident.tryCharge(bytes)) {
            total.release(bytes);
            if (share != null) {
                share.releaseTotal(bytes);
                share.releaseResident(bytes);
            }
            throw new MemoryUnavailableException(what + ": " + bytes + " bytes exceed the resident budget");
        }
        tableBytes += bytes;
        publish();
    }

    public void releaseTable(long bytes) {
        total.release(bytes);
        resident.release(bytes);
        if (share != null) {
            share.releaseTotal(bytes);
            share.releaseResident(bytes);
        }
        tableBytes -= bytes;
        publish();
    }

    public MemoryFigures figures() {
        long residentPixels = resident.charged() - tableBytes;
        return new MemoryFigures(residentPixels, pinnedBytes, pagedOutBytes, reservedBytes, tableBytes, buffers,
                evictions, evictedBytes, pageIns, total.refusals() + resident.refusals() + hostRefusals, pageOutFailures, pageInFailures,
                pagingSuspended(), limits.maxResident(), limits.maxTotal());
    }

    private static String describe(MemoryBudget b) {
        return b.charged() + " of " + b.limit() + " bytes in use";
    }

    @Override
    public void close() {
        if (share != null) share.leave();
        pageFile.close();
    }
}
