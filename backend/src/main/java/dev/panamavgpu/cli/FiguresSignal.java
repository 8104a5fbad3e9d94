package dev.panamavgpu.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGUSR1 asks a running backend to log its figures (like dd). The JDK has no public signal API;
 * sun.misc.Signal (module jdk.unsupported) is the supported way to do this, and HotSpot leaves
 * USR1 free on Linux. If the JVM refuses, the figures are still on the stats socket.
 */
final class FiguresSignal {
    private static final Logger log = LoggerFactory.getLogger(FiguresSignal.class);

    private FiguresSignal() {}

    @SuppressWarnings("sunapi")
    static void onUsr1(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("USR1"), sig -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.debug("no SIGUSR1 handler: {}", e.getMessage());
        }
    }
}
