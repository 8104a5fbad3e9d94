package dev.panamavgpu.testguest.vncbench;

import java.io.IOException;

/** Where a guest's frame count comes from: the in-JVM driver's counter, or a real guest's serial console. */
interface GuestRate {
    /** Frames the guest has completed by {@code seconds} on the guest's own clock (any origin). */
    record Mark(long frames, double seconds) {}

    Mark mark() throws IOException;

    /** Frames per second between two marks; NaN when they are not apart in time. */
    static double between(Mark a, Mark b) {
        return b.seconds() > a.seconds() ? (b.frames() - a.frames()) / (b.seconds() - a.seconds()) : Double.NaN;
    }
}
