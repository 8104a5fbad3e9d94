package dev.panamavgpu.testguest.vncbench;

import java.io.IOException;

/**
 * Runs one viewer as noVNC does: one full request, then an incremental request after every update. Counts
 * updates, pixels painted and bytes read, readable from another thread while it runs; optionally paced to a
 * byte rate (a slow viewer), sleeping between reads of whole updates.
 */
final class ViewerLoop implements AutoCloseable {
    private final RfbViewer viewer;
    private final long bytesPerSecond;
    private volatile Snapshot counters = Snapshot.NONE; // one immutable value, so that a reader sees all three of one instant
    private final Thread thread;
    private volatile boolean stop;
    private volatile IOException failure;

    /** @param bytesPerSecond 0 for as fast as it can */
    ViewerLoop(RfbViewer viewer, long bytesPerSecond) throws IOException {
        this.viewer = viewer;
        this.bytesPerSecond = bytesPerSecond;
        viewer.request(false);
        viewer.readUpdate(); // the first, whole picture is not a frame of the workload
        counters = new Snapshot(0, 0, viewer.bytesRead());
        thread = Thread.ofPlatform().daemon().name("bench-viewer").start(this::run);
    }

    private void run() {
        long t0 = System.nanoTime(), b0 = viewer.bytesRead();
        try {
            while (!stop) {
                viewer.request(true);
                long painted = viewer.readUpdate();
                Snapshot c = counters;
                counters = new Snapshot(c.updates() + 1, c.pixels() + painted, viewer.bytesRead());
                if (bytesPerSecond > 0) {
                    long due = t0 + (long) ((viewer.bytesRead() - b0) * 1e9 / bytesPerSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        } catch (IOException e) {
            if (!stop) failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    RfbViewer viewer() { return viewer; }

    /** Counters at one instant: updates, pixels painted, bytes read. */
    record Snapshot(long updates, long pixels, long bytes) {
        static final Snapshot NONE = new Snapshot(0, 0, 0);
    }

    Snapshot snapshot() throws IOException {
        if (failure != null) throw new IOException("viewer failed: " + failure.getMessage(), failure);
        return counters;
    }

    /** Stops after the update in flight; the viewer's framebuffer then holds the last update read. */
    void stopAndJoin() throws InterruptedException {
        stop = true;
        thread.join(10_000);
    }

    @Override
    public void close() throws IOException {
        stop = true;
        viewer.disconnect(); // ends a read that waits for an update
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            viewer.close();
        }
    }
}
