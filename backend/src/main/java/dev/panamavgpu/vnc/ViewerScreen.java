package dev.panamavgpu.vnc;

import dev.panamavgpu.gpu.display.DamageRect;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * One viewer's state on the loop thread (no locks: only the loop touches it): its own merged
 * dirty rectangle, whether it asked for an update and can take one, the size and cursor it knows,
 * and the buffer its pixels are copied into. Damage merges here; pixels never queue.
 *
 * <p>Copies the device knows of (QXL COPY_BITS) queue as {@link CopyRect}s, metadata only and at
 * most {@link #MAX_COPIES}; they go out before the dirty pixels of the same update, in order. The
 * invariant: the viewer's picture with the queued copies applied equals the screen everywhere
 * outside {@link #dirty}. So a copy whose source is dirty for this viewer (or under a cursor we draw
 * into its pixels, or outside its picture) degrades to damage of its destination, and dropping the
 * queue means marking every queued destination dirty. A chain of copies stays exact because each
 * is checked against the state the earlier ones leave.
 */
final class ViewerScreen {
    final FrameReceiver receiver;
    DamageRect dirty;          // merged damage this viewer has not seen, in screen coordinates
    boolean requested;         // a FramebufferUpdateRequest is outstanding
    boolean sending;           // its writer has a frame and has not finished sending it
    boolean resizable;         // it decodes DesktopSize or ExtendedDesktopSize
    boolean wantsCursor;       // it decodes the Cursor pseudo-encoding
    boolean copyRect;          // it decodes CopyRect
    int knownWidth, knownHeight;
    long cursorSerialSeen = -1;
    private final List<CopyRect> copies = new ArrayList<>(); // to send before the dirty pixels, in order
    private Arena arena;
    private MemorySegment buffer;

    ViewerScreen(FrameReceiver receiver) {
        this.receiver = receiver;
    }

    void markDirty(DamageRect r) {
        dirty = dirty == null ? r : dirty.union(r);
    }

    static final int MAX_COPIES = 32; // a longer chain is sent as pixels: bounded metadata per viewer

    /**
     * A copy on the screen; {@code screen} is the part of the screen this viewer's picture holds,
     * {@code drawnCursor} the cursor drawn into its pixels (null if none). False: degraded to damage.
     */
    boolean copy(CopyRect c, DamageRect screen, DamageRect drawnCursor) {
        DamageRect src = c.source();
        boolean ok = copyRect && copies.size() < MAX_COPIES && screen.contains(c.dst()) && screen.contains(src)
                && !src.intersects(dirty) && !src.intersects(drawnCursor) && !c.dst().intersects(drawnCursor);
        if (ok) copies.add(c);
        else markDirty(c.dst());
        return ok;
    }

    /** Forgets the queued copies; their destinations become dirty, which keeps the invariant. */
    void dropCopies() {
        for (CopyRect c : copies) markDirty(c.dst());
        copies.clear();
    }

    /** Hands over the queued copies for the update being built. */
    List<CopyRect> takeCopies() {
        if (copies.isEmpty()) return List.of();
        List<CopyRect> out = List.copyOf(copies);
        copies.clear();
        return out;
    }

    /** The copy buffer, at least {@code bytes} long; grown only while the viewer holds no frame. */
    MemorySegment buffer(long bytes) {
        if (buffer == null || buffer.byteSize() < bytes) {
            release();
            arena = Arena.ofShared(); // written on the loop, read by the viewer's writer between hand-offs
            buffer = arena.allocate(bytes, 64);
        }
        return buffer;
    }

    long bufferBytes() { return buffer == null ? 0 : buffer.byteSize(); }

    /** Loop thread, once the viewer has left (its writer no longer reads the buffer). */
    void release() {
        if (arena != null) arena.close();
        arena = null;
        buffer = null;
    }
}
