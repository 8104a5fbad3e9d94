package dev.panamavgpu.vnc;

import dev.panamavgpu.gpu.display.DamageRect;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One viewer's state on the loop thread (no locks: only the loop touches it): its own merged
 * dirty rectangle, whether it asked for an update and can take one, the size and cursor it knows,
 * and the buffer its pixels are copied into. Damage merges here; pixels never queue.
 */
final class ViewerScreen {
    final FrameReceiver receiver;
    DamageRect dirty;          // merged damage this viewer has not seen, in screen coordinates
    boolean requested;         // a FramebufferUpdateRequest is outstanding
    boolean sending;           // its writer has a frame and has not finished sending it
    boolean resizable;         // it decodes DesktopSize or ExtendedDesktopSize
    boolean wantsCursor;       // it decodes the Cursor pseudo-encoding
    int knownWidth, knownHeight;
    long cursorSerialSeen = -1;
    private Arena arena;
    private MemorySegment buffer;

    ViewerScreen(FrameReceiver receiver) {
        this.receiver = receiver;
    }

    void markDirty(DamageRect r) {
        dirty = dirty == null ? r : dirty.union(r);
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
