package dev.panamavgpu.vnc;

import dev.panamavgpu.gpu.display.DamageRect;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * What the loop thread hands one viewer for one update: pixels copied out of the device (never a
 * view of the device's memory, which the memory manager may unmap or page out at any turn), the
 * screen size, and the cursor if it changed since that viewer's last update.
 *
 * @param rect   the area in {@code pixels} (x8r8g8b8, stride rect.width*4), or null if no pixels changed
 * @param pixels the viewer's own buffer, valid until the viewer says it has sent this frame
 * @param cursor the new cursor, or null if unchanged
 * @param copies CopyRects to send before the pixels, in order (empty when resized)
 */
record Frame(int width, int height, boolean resized, DamageRect rect, MemorySegment pixels, CursorShape cursor,
             List<CopyRect> copies) {}
