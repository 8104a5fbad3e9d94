package dev.panamavgpu.testguest.driver;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A resource's backing store in guest RAM: one or more guest-physical pieces, addressed as one linear byte
 * range (offset 0 = start of the first piece), the way the device sees it after ATTACH_BACKING.
 */
public final class Backing {
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final List<Commands.MemEntry> entries;
    private final List<MemorySegment> pieces;
    private final long length;

    Backing(List<Commands.MemEntry> entries, List<MemorySegment> pieces) {
        this.entries = List.copyOf(entries);
        this.pieces = List.copyOf(pieces);
        long l = 0;
        for (MemorySegment p : pieces) l += p.byteSize();
        this.length = l;
    }

    public List<Commands.MemEntry> entries() { return entries; }
    public long length() { return length; }
    /** Guest-physical address of the first piece. */
    public long gpa() { return entries.getFirst().addr(); }

    public void fill(byte value) {
        for (MemorySegment p : pieces) p.fill(value);
    }

    public void write(long offset, byte[] data) {
        long at = offset;
        int done = 0;
        for (MemorySegment p : pieces) {
            if (done == data.length) break;
            if (at >= p.byteSize()) { at -= p.byteSize(); continue; }
            int n = (int) Math.min(p.byteSize() - at, data.length - done);
            MemorySegment.copy(MemorySegment.ofArray(data), done, p, at, n);
            done += n;
            at = 0;
        }
        if (done != data.length) throw new IndexOutOfBoundsException("write past the backing end");
    }

    public byte[] read(long offset, int len) {
        byte[] out = new byte[len];
        long at = offset;
        int done = 0;
        for (MemorySegment p : pieces) {
            if (done == len) break;
            if (at >= p.byteSize()) { at -= p.byteSize(); continue; }
            int n = (int) Math.min(p.byteSize() - at, len - done);
            MemorySegment.copy(p, at, MemorySegment.ofArray(out), done, n);
            done += n;
            at = 0;
        }
        if (done != len) throw new IndexOutOfBoundsException("read past the backing end");
        return out;
    }

    /** Stores one 32-bit pixel (its 4 memory bytes as a little-endian int) at (x, y) of an image with {@code stride}. */
    public void putPixel(long stride, long x, long y, int leWord) {
        byte[] b = {(byte) leWord, (byte) (leWord >>> 8), (byte) (leWord >>> 16), (byte) (leWord >>> 24)};
        write(y * stride + x * 4, b);
    }

    public int getPixel(long stride, long x, long y) {
        byte[] b = read(y * stride + x * 4, 4);
        return MemorySegment.ofArray(b).get(LE32, 0);
    }

    /** Pixel source: the 4 memory bytes of pixel (x, y), as a little-endian int. */
    @FunctionalInterface
    public interface Pixels {
        int at(int x, int y);
    }

    /** Writes a {@code width}×{@code height} image with {@code stride} from {@code src}. */
    public void fillPixels(int width, int height, long stride, Pixels src) {
        fillRect(0, 0, width, height, stride, src);
    }

    /** Writes the pixels of one rectangle. */
    public void fillRect(int x0, int y0, int w, int h, long stride, Pixels src) {
        byte[] row = new byte[w * 4];
        MemorySegment r = MemorySegment.ofArray(row);
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) r.set(LE32, (x - x0) * 4L, src.at(x, y));
            write(y * stride + x0 * 4L, row);
        }
    }

    static Backing of(List<long[]> gpaAndLength, List<MemorySegment> pieces) {
        List<Commands.MemEntry> e = new ArrayList<>();
        for (long[] g : gpaAndLength) e.add(new Commands.MemEntry(g[0], g[1]));
        return new Backing(e, pieces);
    }
}
