package dev.panamavgpu.vnc;

import dev.panamavgpu.gpu.display.DamageRect;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/** Raw: every pixel in the viewer's format, row by row. */
final class RawEncoder implements RectEncoder {
    private byte[] row = new byte[0];

    @Override
    public int rectCount(DamageRect r) { return 1; }

    @Override
    public void write(RfbOutput out, RfbPixelFormat f, DamageRect r, MemorySegment pixels) throws IOException {
        RectEncoder.header(out, r.x(), r.y(), r.width(), r.height(), RfbWire.ENC_RAW);
        int w = (int) r.width();
        if (row.length < w * 4) row = new byte[w * 4];
        for (long y = 0; y < r.height(); y++) {
            int n = PixelWriter.pixels(f, pixels, y * w * 4, w, row, 0);
            out.bytes(row, 0, n);
        }
    }
}
