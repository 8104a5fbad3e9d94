package dev.panamavgpu.vnc;

import dev.panamavgpu.gpu.display.DamageRect;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/** One pixel encoding of a viewer's connection (it may keep state across updates, e.g. zlib streams). */
interface RectEncoder {
    /** Rectangles {@link #write} makes for {@code r}, so the update header can count them. */
    int rectCount(DamageRect r);

    /** Writes {@code r}, whose x8r8g8b8 pixels are {@code pixels} (stride r.width*4), as rectangles with headers. */
    void write(RfbOutput out, RfbPixelFormat f, DamageRect r, MemorySegment pixels) throws IOException;

    static void header(RfbOutput out, long x, long y, long w, long h, int encoding) throws IOException {
        out.u16((int) x).u16((int) y).u16((int) w).u16((int) h).u32(encoding);
    }
}
