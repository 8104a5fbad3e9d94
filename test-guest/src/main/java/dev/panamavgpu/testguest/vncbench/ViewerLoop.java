package dev.panamavgpu.testguest.vncbench;

import java.io.IOException;

/**
 * Runs one viewer as noVNC does: one full request, then an incremental request after every update. Counts
 * updates, pixels painted and bytes read, readable from another thread while it runs; optionally paced to a
 * byte rate (a slow viewer, {@link RfbViewer#pace}).
 */
final class ViewerLoop implements AutoCloseable {
    private static final boolean TRACE = Boolean.getBoolean("vncbench.trace");
    private final RfbViewer viewer;
    private volatile Snapshot counters = Snapshot.NONE; // one immutable value, so that a reader sees all three of one instant
    private final Thread thread;
    private volatile boolean stop;
    private volatile IOException failure;

    /** @param bytesPerSecond 0 for as fast as it can */
    ViewerLoop(RfbViewer viewer, long bytesPerSecond) throws IOException {
        this.viewer = viewer;
        viewer.requestAll(false);
        viewer.readUpdate(); // the first, whole picture is not a frame of the workload
        counters = new Snapshot(0, 0, viewer.bytesRead());
        viewer.pace(bytesPerSecond);
        thread = Thread.ofPlatform().daemon().name("bench-viewer").start(this::run);
    }

    private void run() {
        try {
            while (!stop) {
                viewer.requestAll(true);
                long painted = viewer.readUpdate();
                Snapshot c = counters;
                if (TRACE) System.err.printf("vncbench viewer: update %d painted %d bytes %d%n", c.updates() + 1, painted, viewer.bytesRead() - c.bytes());
                counters = new Snapshot(c.updates() + 1, c.pixels() + painted, viewer.bytesRead());
            }
        } catch (IOException e) {
            if (!stop) failure = e;
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
