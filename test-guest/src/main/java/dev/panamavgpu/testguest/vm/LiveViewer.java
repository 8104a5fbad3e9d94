package dev.panamavgpu.testguest.vm;

import dev.panamavgpu.testguest.vncbench.RfbViewer;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;

/**
 * The project's RFB viewer watching the backend's VNC server through a whole run, as someone looking at
 * the VM does: it asks for CopyRect (and Raw), requests an incremental update after each one on a thread
 * of its own, and after each update counts how far its picture is from an expected one. So what reaches
 * it incrementally (CopyRects included) is checked, not only a fresh connection's first picture.
 */
public final class LiveViewer implements AutoCloseable {
    private final RfbViewer v;
    private final int[] want;
    private final int width, height;
    private final Thread thread;
    private volatile boolean closed;
    private volatile long differing = -1;
    private volatile int copyRects, updates;
    private volatile String error;

    private LiveViewer(RfbViewer v, int width, int height, int[] want) {
        this.v = v;
        this.width = width;
        this.height = height;
        this.want = want;
        this.thread = Thread.ofPlatform().daemon().name("live-viewer").start(this::run);
    }

    /** Connects to {@code HOST:DISPLAY} (port 5900 + DISPLAY), retrying while the server is not yet listening. */
    public static LiveViewer watch(String display, int width, int height, int[] want, Duration timeout) throws IOException {
        SocketAddress a = VncCapture.address(display);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                RfbViewer v = RfbViewer.connect(a).handshake(8, null);
                v.setPixelFormat(RfbViewer.Format.BGRX)
                        .setEncodings(RfbViewer.COPY_RECT, RfbViewer.RAW, RfbViewer.DESKTOP_SIZE, RfbViewer.LAST_RECT)
                        .requestAll(false);
                return new LiveViewer(v, width, height, want.clone());
            } catch (IOException e) {
                if (System.nanoTime() > deadline) throw e;
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", ie);
                }
            }
        }
    }

    private void run() {
        try {
            while (!closed) {
                if (v.readMessage() != 0) continue;
                updates = v.updates();
                copyRects = v.copyRects();
                differing = diff();
                v.requestAll(true);
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) error = e.toString();
        }
    }

    private long diff() {
        if (v.width() != width || v.height() != height) return (long) width * height;
        long n = 0;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++) if (v.rgbAt(x, y) != (want[y * width + x] & 0xffffff)) n++;
        return n;
    }

    /** Waits until the viewer's picture equals the expected one; returns the pixels still differing (-1: no update yet). */
    public long awaitMatch(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (differing != 0 && error == null && System.nanoTime() < deadline) Thread.sleep(100);
        return differing;
    }

    public int copyRects() { return copyRects; }

    public String describe() {
        return "live viewer: " + updates + " updates, " + copyRects + " CopyRects, diff=" + differing + (error == null ? "" : ", " + error);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        v.disconnect();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        v.close();
    }
}
