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
}
