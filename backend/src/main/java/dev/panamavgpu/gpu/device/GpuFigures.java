package dev.panamavgpu.gpu.device;

import dev.panamavgpu.gpu.display.DisplayStats;
import dev.panamavgpu.memory.MemoryFigures;

/**
 * What a user can ask a running backend for: the memory figures, the display pipe's state and the
 * budget settings, as {@code name value} lines (bytes, counts), one line each.
 */
public record GpuFigures(MemoryFigures memory, int resources, long queuedDisplayBytes, long displayQueueBound,
                         long damageBytes, DisplayStats display, long pressureEpisodes,
                         int resources3d, long bytes3d, int contexts3d) {

    /** The figures of a 2D-only backend (no 3D state). */
    public GpuFigures(MemoryFigures memory, int resources, long queuedDisplayBytes, long displayQueueBound,
                      long damageBytes, DisplayStats display, long pressureEpisodes) {
        this(memory, resources, queuedDisplayBytes, displayQueueBound, damageBytes, display, pressureEpisodes, 0, 0, 0);
    }

    public String text() {
        return render(" ", "\n");
    }

    /** The same figures on one line, for the log. */
    public String oneLine() {
        return render("=", " ").strip();
    }

    private String render(String between, String after) {
        MemoryFigures m = memory;
        StringBuilder b = new StringBuilder();
        Line line = (name, value) -> b.append(name).append(between).append(value).append(after);
        line.add("resident_bytes", m.resident());
        line.add("pinned_bytes", m.pinned());
        line.add("pageable_bytes", m.pagedOut());
        line.add("reserved_bytes", m.reserved());
        line.add("table_bytes", m.tables());
        line.add("queued_display_bytes", queuedDisplayBytes);
        line.add("display_queue_bound", displayQueueBound);
        line.add("damage_bytes", damageBytes);
        line.add("resources", resources);
        line.add("resources_3d", resources3d);
        line.add("bytes_3d", bytes3d); // charged as table_bytes (host GL memory is never paged)
        line.add("contexts_3d", contexts3d);
        line.add("buffers", m.buffers());
        line.add("evictions", m.evictions());
        line.add("evicted_bytes", m.evictedBytes());
        line.add("page_ins", m.pageIns());
        line.add("refusals", m.refusals());
        line.add("page_out_failures", m.pageOutFailures());
        line.add("page_in_failures", m.pageInFailures());
        line.add("paging_suspended", m.pagingSuspended() ? 1 : 0);
        line.add("pressure_episodes", pressureEpisodes);
        line.add("display_merges", display == null ? 0 : display.damageMerges());
        line.add("display_drops", display == null ? 0 : display.damageDropped());
        line.add("updates_sent", display == null ? 0 : display.updatesSent());
        line.add("direct_updates", display == null ? 0 : display.directUpdates());
        line.add("updates_copied_on_unmap", display == null ? 0 : display.updatesCopiedOnUnmap());
        line.add("display_bytes_sent", display == null ? 0 : display.bytesSent());
        line.add("max_resident", m.maxResident());
        line.add("max_total", m.maxTotal());
        return b.toString();
    }

    private interface Line {
        void add(String name, long value);
    }
}
