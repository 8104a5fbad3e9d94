package dev.panamavgpu.input;

import java.util.Locale;

/**
 * What the input device did, for logs and tests.
 *
 * @param eventsDelivered events written into the guest's eventq buffers
 * @param reportsPending  reports waiting for buffers now
 * @param reportsDropped  oldest reports dropped because the guest took none and the bound was reached
 * @param motionCoalesced motion reports merged into a waiting one
 * @param unknownKeys     key events with neither a known key number nor a known keysym
 * @param statusBuffers   statusq buffers (LED changes) the driver sent, returned unread
 * @param badBuffers      eventq buffers too small for one event
 * @param returnedAtStop  eventq buffers handed back (with an empty report) when the front-end stopped the ring
 */
public record InputFigures(long eventsDelivered, int reportsPending, long reportsDropped, long motionCoalesced,
                           long unknownKeys, long statusBuffers, long badBuffers, long returnedAtStop) {

    public String oneLine() {
        return String.format(Locale.ROOT, "events delivered %d, reports pending %d, dropped %d, motion coalesced %d, "
                        + "unknown keys %d, statusq buffers %d, bad eventq buffers %d, returned at ring stop %d", eventsDelivered,
                reportsPending, reportsDropped, motionCoalesced, unknownKeys, statusBuffers, badBuffers, returnedAtStop);
    }

    /** The device's running counts; loop thread only. */
    public static final class Counters {
        long eventsDelivered, statusBuffers, badBuffers, returnedAtStop;
    }
}
