package dev.panamavgpu.memory;

import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves cold buffers to the page file ahead of the budget while the host is under memory
 * pressure. Polled from the owning loop's timer ({@link #poll}); an episode is the time from the
 * first poll that sees pressure to the first that does not, and it is logged once, at its end,
 * with what was freed.
 */
public final class Shrinker {
    private static final Logger log = LoggerFactory.getLogger(Shrinker.class);
    /** Poll period: PSI's shortest average is 10 s, so a few seconds are fine-grained enough. */
    public static final int PERIOD_MILLIS = 2000;

    private final MemoryManager memory;
    private final Supplier<String> pressure;
    private String episode;          // what started the current episode, null outside one
    private long episodeFreed;
    private long episodes;

    public Shrinker(MemoryManager memory, Supplier<String> pressure) {
        this.memory = memory;
        this.pressure = pressure;
    }

    public long episodes() { return episodes; }

    /** One look at the pressure; under pressure, half of the movable resident bytes go out. */
    public void poll() {
        String now = pressure.get();
        if (now == null) {
            if (episode != null) {
                log.info("memory pressure ended ({}): moved {} KiB of cold buffers to the page file", episode, episodeFreed >> 10);
                episode = null;
            }
            return;
        }
        if (episode == null) {
            episode = now;
            episodeFreed = 0;
            episodes++;
        }
        MemoryFigures f = memory.figures();
        long movable = f.resident() - f.pinned();
        if (movable > 0) episodeFreed += memory.moveOut(Math.max(movable / 2, 1), null);
    }
}
