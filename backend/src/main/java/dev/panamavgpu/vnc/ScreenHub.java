package dev.panamavgpu.vnc;

import dev.panamavgpu.gpu.display.DamageRect;
import dev.panamavgpu.gpu.display.DamageSource;
import dev.panamavgpu.gpu.display.ScreenWatcher;
import dev.panamavgpu.gpu.protocol.DisplayCursorPos;
import dev.panamavgpu.vhostuser.loop.EventLoop;
import dev.panamavgpu.vhostuser.loop.FaultScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The viewers' side of the device's screen, on the device's loop thread. It gets the same events
 * as QEMU's display channel (scanout size, damage, cursor) and merges damage into every viewer's
 * own dirty rectangle. Pixels are copied, on the loop thread, only for a viewer that asked for an
 * update and has sent its previous one, into that viewer's buffer, at most
 * {@link VncConfig#maxCopyBytes} per viewer and update; encoding and sending happen on the
 * viewer's thread. So the guest never waits for a viewer, a viewer's memory is bounded by one
 * buffer, and no other thread ever reads the device's pixels (which the memory manager may unmap
 * or page out between loop turns).
 *
 * <p>Viewer threads call only the methods that say so; they post to the loop.
 */
public final class ScreenHub implements ScreenWatcher, FaultScope {
    static final int DEFAULT_WIDTH = 640, DEFAULT_HEIGHT = 480; // what viewers see before the guest sets a mode
    private static final ValueLayout.OfInt PIXEL = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final EventLoop loop;
    private final int scanout;
    private final long maxCopyBytes;
    private final List<ViewerScreen> viewers = new ArrayList<>();
    private final VncFigures figures = new VncFigures();
    private DamageSource source;
    private boolean shown;            // the scanout shows a resource
    private int width = DEFAULT_WIDTH, height = DEFAULT_HEIGHT;
    private CursorShape cursor = CursorShape.HIDDEN; // what Cursor-encoding viewers are sent
    private final SoftCursor soft = new SoftCursor(); // what the others get drawn into their pixels
    private long cursorSerial;
    private boolean passScheduled;

    public ScreenHub(EventLoop loop, int scanout, long maxCopyBytes) {
        this.loop = loop;
        this.scanout = scanout;
        this.maxCopyBytes = maxCopyBytes;
    }

    public VncFigures figures() { return figures; }

    private static final Logger log = LoggerFactory.getLogger(ScreenHub.class);

    // ---- fault scope: the hub's own tasks (copies for viewers, viewers' requests) ----

    @Override public String describe() { return "VNC viewers"; }

    /**
     * A bug in the viewers' side must not reset the guest's device, so the hub's tasks run in this
     * scope rather than in the device handler's that scheduled them: logged, and the loop goes on.
     */
    @Override
    public void contain(String where, Throwable fault) {
        log.warn("VNC: {} failed: {}", where, fault.toString(), fault);
    }

    // ---- the device's events (loop thread) ----

    @Override
    public void attached(DamageSource s) {
        source = s;
    }

    @Override
    public void detached() {
        source = null;
        shown = false;
        if (soft.visible()) { // a reset device has no cursor until the guest sets one again
            soft.hide();
            cursor = CursorShape.HIDDEN;
            cursorSerial++;
        }
        dirtyEverywhere();
    }

    @Override
    public void scanout(int scanoutId, long w, long h) {
        if (scanoutId != scanout) return;
        if (w == 0 || h == 0) {
            shown = false; // viewers keep their size and see black until the guest shows something again
        } else {
            shown = true;
            width = (int) w; // at most 16384 (GpuLimits)
            height = (int) h;
        }
        dirtyEverywhere();
    }

    @Override
    public void damage(int scanoutId, DamageRect rect) {
        if (scanoutId != scanout || rect.isEmpty() || viewers.isEmpty()) return;
        for (ViewerScreen v : viewers) v.markDirty(rect);
        schedulePass();
    }

    /**
     * A copy the device knows of: queued as a CopyRect for each viewer whose picture can take it,
     * damage for the others (see {@link ViewerScreen}).
     */
    @Override
    public void copy(int scanoutId, DamageRect dst, long srcX, long srcY) {
        if (scanoutId != scanout || dst.isEmpty() || viewers.isEmpty() || (srcX == dst.x() && srcY == dst.y())) return;
        CopyRect c = new CopyRect(dst, srcX, srcY);
        DamageRect drawn = soft.area();
        for (ViewerScreen v : viewers) {
            DamageRect screen = new DamageRect(0, 0, Math.min(width, v.knownWidth), Math.min(height, v.knownHeight));
            figures.copyRect(v.copy(c, screen, v.wantsCursor ? null : drawn));
        }
        schedulePass();
    }

    @Override
    public void cursorImage(DisplayCursorPos pos, long hotX, long hotY, MemorySegment argb) {
        if (pos.scanoutId() != scanout) return;
        int n = CursorShape.SIZE * CursorShape.SIZE;
        int[] px = new int[n];
        for (int i = 0; i < n; i++) px[i] = argb.get(PIXEL, 4L * i);
        int hx = (int) Math.min(hotX, CursorShape.SIZE - 1), hy = (int) Math.min(hotY, CursorShape.SIZE - 1);
        DamageRect before = soft.area();
        soft.set(new CursorShape(hx, hy, CursorShape.SIZE, CursorShape.SIZE, px), pos.x(), pos.y());
        cursorChanged(before);
    }

    @Override
    public void cursorMove(DisplayCursorPos pos, boolean hide) {
        if (pos.scanoutId() != scanout) return;
        DamageRect before = soft.area();
        boolean wasVisible = soft.visible();
        if (hide) soft.hide();
        else soft.moveTo(pos.x(), pos.y());
        if (soft.visible() != wasVisible) {
            cursorChanged(before); // viewers that draw the cursor: hidden or shown again
        } else {
            cursorDamage(before, soft.area()); // a move: only viewers we draw it for
        }
    }

    /** The cursor's image or visibility changed: Cursor viewers get it again, the others its old and new area. */
    private void cursorChanged(DamageRect before) {
        cursor = soft.visible() ? soft.shape() : CursorShape.HIDDEN;
        cursorSerial++;
        cursorDamage(before, soft.area());
    }

    private void cursorDamage(DamageRect before, DamageRect after) {
        before = clip(before, width, height); // a pointer far off the screen (u32 from the guest) damages nothing
        after = clip(after, width, height);
        for (ViewerScreen v : viewers) {
            if (v.wantsCursor) continue;
            if (before != null) v.markDirty(before);
            if (after != null) v.markDirty(after);
        }
        schedulePass();
    }

    private void dirtyEverywhere() {
        for (ViewerScreen v : viewers) {
            v.dropCopies();
            v.markDirty(new DamageRect(0, 0, Math.max(width, v.knownWidth), Math.max(height, v.knownHeight)));
        }
        schedulePass();
    }

    /** One pass per loop turn, after the queue pass: all damage of that pass is merged by then. */
    private void schedulePass() {
        if (passScheduled) return;
        passScheduled = true;
        loop.execute(this, () -> {
            passScheduled = false;
            for (ViewerScreen v : viewers) deliver(v);
        });
    }

    // ---- viewers (any thread: posted to the loop) ----

    /** A viewer joins; the future gets the size to announce in ServerInit. */
    CompletableFuture<int[]> join(ViewerScreen v) {
        CompletableFuture<int[]> size = new CompletableFuture<>();
        loop.execute(this, () -> {
            v.knownWidth = width;
            v.knownHeight = height;
            viewers.add(v);
            size.complete(new int[] {width, height});
        });
        return size;
    }

    /** What the viewer decodes, from its latest SetEncodings. */
    void capabilities(ViewerScreen v, boolean resizable, boolean wantsCursor, boolean copyRect) {
        loop.execute(this, () -> {
            v.resizable = resizable;
            if (!copyRect) v.dropCopies();
            v.copyRect = copyRect;
            if (wantsCursor && !v.wantsCursor) v.cursorSerialSeen = -1; // send the current cursor
            if (wantsCursor != v.wantsCursor) {
                DamageRect a = clip(soft.area(), width, height); // drawn into its pixels, or no longer
                if (a != null) v.markDirty(a);
            }
            v.wantsCursor = wantsCursor;
        });
    }

    /** A FramebufferUpdateRequest; a non-incremental one marks its area dirty. */
    void request(ViewerScreen v, boolean incremental, int x, int y, int w, int h) {
        loop.execute(this, () -> {
            v.requested = true;
            if (!incremental && w > 0 && h > 0) {
                v.dropCopies(); // RFB: a non-incremental request is answered with pixels, never CopyRect
                v.markDirty(new DamageRect(x, y, w, h));
            }
            deliver(v);
        });
    }

    /** The viewer's writer has sent its frame: it can take the next. */
    void sent(ViewerScreen v) {
        loop.execute(this, () -> {
            v.sending = false;
            deliver(v);
        });
    }

    /**
     * The writer did not send a frame's CopyRects (the viewer's SetEncodings dropped CopyRect after the
     * frame was built): their destinations go out as pixels instead, which restores the invariant of
     * {@link ViewerScreen} (later copies it still queues are dropped the same way, or when the new
     * capabilities reach the loop).
     */
    void unsent(ViewerScreen v, java.util.List<CopyRect> copies) {
        loop.execute(this, () -> {
            for (CopyRect c : copies) v.markDirty(c.dst());
        });
    }

    void leave(ViewerScreen v) {
        loop.execute(this, () -> {
            viewers.remove(v);
            v.release();
        });
    }

    /** Viewers in the loop's list; loop thread or tests after it. */
    int viewerCount() { return viewers.size(); }

    // ---- the copy (loop thread) ----

    private void deliver(ViewerScreen v) {
        if (!v.requested || v.sending || !viewers.contains(v)) return;
        boolean resized = v.resizable && (v.knownWidth != width || v.knownHeight != height);
        if (resized) {
            v.knownWidth = width;
            v.knownHeight = height;
            v.dirty = new DamageRect(0, 0, width, height); // the viewer drops its framebuffer on a resize
            v.takeCopies(); // nothing to copy from
        }
        java.util.List<CopyRect> copies = v.takeCopies();
        CursorShape newCursor = v.wantsCursor && v.cursorSerialSeen != cursorSerial ? cursor : null;
        DamageRect r = clip(v.dirty, Math.min(width, v.knownWidth), Math.min(height, v.knownHeight));
        v.dirty = null;
        if (r == null && !resized && newCursor == null && copies.isEmpty()) return;
        MemorySegment pixels = null;
        if (r != null) {
            long rowBytes = r.width() * 4;
            long rows = Math.min(r.height(), Math.max(1, maxCopyBytes / rowBytes));
            if (rows < r.height()) v.dirty = new DamageRect(r.x(), r.y() + rows, r.width(), r.height() - rows); // next update
            r = new DamageRect(r.x(), r.y(), r.width(), rows);
            pixels = v.buffer(rowBytes * rows).asSlice(0, rowBytes * rows); // grows to the largest update, at most maxCopyBytes or a row
            long t0 = System.nanoTime();
            boolean ok = shown && source != null && source.render(scanout, r, pixels);
            if (!ok) pixels.fill((byte) 0);
            if (!v.wantsCursor) soft.drawOnto(pixels, r);
            figures.copied(pixels.byteSize(), System.nanoTime() - t0);
        }
        if (newCursor != null) v.cursorSerialSeen = cursorSerial;
        v.requested = false;
        v.sending = true;
        v.receiver.accept(new Frame(width, height, resized, r, pixels, newCursor, copies));
    }

    private static DamageRect clip(DamageRect r, long w, long h) {
        if (r == null) return null;
        long x0 = Math.max(0, r.x()), y0 = Math.max(0, r.y());
        long x1 = Math.min(w, r.x() + r.width()), y1 = Math.min(h, r.y() + r.height());
        return x1 > x0 && y1 > y0 ? new DamageRect(x0, y0, x1 - x0, y1 - y0) : null;
    }
}
