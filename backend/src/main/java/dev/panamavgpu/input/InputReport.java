package dev.panamavgpu.input;

import java.util.List;

/**
 * One evdev report: events ending with SYN_REPORT, which the guest applies together.
 *
 * @param motionOnly only ABS_X/ABS_Y: a newer motion report may replace it while it waits
 */
public record InputReport(List<InputEvent> events, boolean motionOnly) {
    public InputReport {
        events = List.copyOf(events);
        if (events.isEmpty() || !events.getLast().equals(InputEvent.SYN)) throw new IllegalArgumentException("a report ends with SYN_REPORT");
    }

    /** True if it releases a key or button: dropping it could leave that key down in the guest. */
    public boolean releases() {
        for (InputEvent e : events) if (e.type() == Evdev.EV_KEY && e.value() == 0) return true;
        return false;
    }

    /** True if every key or button this report releases is pressed or released again by {@code later}. */
    boolean releasesSupersededBy(InputReport later) {
        for (InputEvent e : events) {
            if (e.type() != Evdev.EV_KEY || e.value() != 0) continue;
            boolean again = false;
            for (InputEvent l : later.events()) again |= l.type() == Evdev.EV_KEY && l.code() == e.code();
            if (!again) return false;
        }
        return true;
    }
}
