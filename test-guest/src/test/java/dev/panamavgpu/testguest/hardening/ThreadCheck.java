package dev.panamavgpu.testguest.hardening;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Set;
import java.util.stream.Collectors;

/** The threads alive at one moment, to check that a scenario leaves none of its own behind. */
final class ThreadCheck {
    /** JDK service threads that come and go on their own (ProcessBuilder's reaper, attach, cleaners). */
    private static final Set<String> JDK_POOLED = Set.of("process reaper", "Attach Listener", "Common-Cleaner");

    private final Set<Thread> before;

    private ThreadCheck(Set<Thread> before) { this.before = before; }

    static ThreadCheck now() { return new ThreadCheck(Thread.getAllStackTraces().keySet()); }

    /** Fails unless, within {@code millis}, every thread started since {@link #now} has ended. */
    void assertNoneLeftAfter(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        Set<Thread> extra;
        do {
            extra = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && t.isAlive() && !JDK_POOLED.contains(t.getName()))
                    .collect(Collectors.toSet());
            if (extra.isEmpty()) return;
            Thread.sleep(10);
        } while (System.nanoTime() < deadline);
        fail("threads left behind: " + extra.stream().map(Thread::getName).sorted().toList());
    }
}
