package dev.panamavgpu.testguest.vnc;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A helper program and everything it forked (Chromium's renderer and GPU processes, websockify's
 * per-connection children): ended together, so a test leaves no process behind.
 */
final class ProcessTree {
    private ProcessTree() {}

    /**
     * SIGTERM to the program and its descendants, SIGKILL to what is still alive after {@code graceMillis};
     * returns every process that was part of the tree, for the caller to check that none is left.
     */
    static List<ProcessHandle> end(Process root, long graceMillis) {
        // children first gathered, since a parent's exit reparents them and they would drop out of descendants()
        List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
        all.add(root.toHandle());
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        for (ProcessHandle h : all) {
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) h.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (Exception stillAlive) {
                // SIGKILL below
            }
        }
        for (ProcessHandle h : all) {
            if (h.isAlive()) h.destroyForcibly();
        }
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // reported by the caller's isAlive check
            }
        }
        try {
            root.waitFor(5, TimeUnit.SECONDS); // reaps the root (ProcessHandle.onExit does not for our own child)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return all;
    }
}
