package dev.panamavgpu.testguest.qxl;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ivshmem.IvshmemClient;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A QXL guest driver model written from docs/qxl.md (its constants are restated here on purpose,
 * so a layout change in the backend shows up as a failing conformance test). It joins the ivshmem
 * server as a peer, allocates commands in the guest part of the region, pushes the rings, rings
 * doorbells, runs IOs through the mailbox and collects the release ring. One thread only.
 */
public final class QxlGuest implements AutoCloseable {
    // region map
    public static final long ROM = 0x0000, TRANSPORT = 0x1000, RAM = 0x2000, GUEST = 0x4000;
    // transport page
    static final long T_MAGIC = 0x00, T_SHM_SIZE = 0x10, T_HOST_PEER_ID = 0x18, T_IO_SEQ = 0x40, T_IO_PORT = 0x44,
            T_IO_VAL = 0x48, T_GUEST_PEER_ID = 0x50, T_IO_DONE_SEQ = 0x60, T_IO_RESULT = 0x64, T_BUG_CODE = 0x6c;
    public static final long T_HELD_COMMANDS = 0x80, T_HELD_BYTES = 0x88, T_LIVE_SURFACES = 0x98, T_RELEASES_PUSHED = 0xa8;
    // ROM
    static final long ROM_N_SURFACES = 52, ROM_SLOTS_START = 64, ROM_SLOT_GENERATION = 68, ROM_RAM_HEADER = 44;
    // QXLRam
    static final long INT_PENDING = 4, INT_MASK = 8, LOG_BUF = 12, CMD_RING = 4108, CURSOR_RING = 4640, RELEASE_RING = 5172,
            UPDATE_AREA = 5256, UPDATE_SURFACE = 5272, MEM_SLOT = 5276, CREATE_SURFACE = 5292;
    static final long R_PROD = 4, R_NOTIFY_ON_PROD = 8, R_CONS = 12, R_NOTIFY_ON_CONS = 16, R_ITEMS = 20;
    public static final int INT_DISPLAY = 1, INT_CURSOR = 2, INT_IO_CMD = 4, INT_ERROR = 8;
    // IO ports
    public static final int IO_NOTIFY_CMD = 0, IO_UPDATE_AREA = 2, IO_UPDATE_IRQ = 3, IO_NOTIFY_OOM = 4, IO_RESET = 5,
            IO_SET_MODE = 6, IO_LOG = 7, IO_MEMSLOT_ADD = 8, IO_MEMSLOT_DEL = 9, IO_CREATE_PRIMARY = 12, IO_DESTROY_PRIMARY = 13,
            IO_DESTROY_SURFACE_WAIT = 14, IO_DESTROY_ALL_SURFACES = 15, IO_UPDATE_AREA_ASYNC = 16, IO_MEMSLOT_ADD_ASYNC = 17,
            IO_CREATE_PRIMARY_ASYNC = 18, IO_DESTROY_PRIMARY_ASYNC = 19, IO_DESTROY_SURFACE_ASYNC = 20,
            IO_DESTROY_ALL_SURFACES_ASYNC = 21, IO_FLUSH_SURFACES_ASYNC = 22, IO_FLUSH_RELEASE = 23;
    public static final int IO_OK = 0, IO_INVALID = -22, IO_NO_MEMORY = -12, IO_STOPPED = -5;
    // commands
    public static final int CMD_DRAW = 1, CMD_CURSOR = 3, CMD_SURFACE = 5;
    public static final int FMT_32_XRGB = 32;
    static final int VEC_KICK = 0, VEC_IO = 1;

    static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final VarHandle A32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    public final IvshmemClient peer;
    public final MemorySegment shm;
    private final int hostId;
    private int ioSeq;
    private long heapTop = GUEST;
    private long nextId = 1;
    private final Map<Long, Long> commandById = new HashMap<>();
    private final Map<Long, Long> idByCommand = new HashMap<>();
    private final Set<Long> outstanding = new LinkedHashSet<>();
    private final List<Long> released = new ArrayList<>();
    public int generation;
    public long primaryOffset = -1;
    public int primaryWidth, primaryHeight;
    public long kicks;

    private QxlGuest(IvshmemClient peer) {
        this.peer = peer;
        this.shm = peer.shm();
        if (shm.get(LE32, TRANSPORT + T_MAGIC) != 0x56495851) throw new IllegalStateException("no QXIV transport page");
        this.hostId = shm.get(LE32, TRANSPORT + T_HOST_PEER_ID);
        shm.set(LE32, TRANSPORT + T_GUEST_PEER_ID, peer.id()); // so that the host interrupts us
        ioSeq = (int) A32.getAcquire(shm, TRANSPORT + T_IO_DONE_SEQ);
    }

    public static QxlGuest connect(String path) throws IOException {
        return new QxlGuest(IvshmemClient.connect(path, 2, Duration.ofSeconds(5)));
    }

    /** RESET, interrupt mask, one memslot (id 1) over the whole guest area with mem_start = GUEST. */
    public void setup() throws IOException {
        check(io(IO_RESET, 0), "RESET");
        generation = Byte.toUnsignedInt(shm.get(ValueLayout.JAVA_BYTE, ROM + ROM_SLOT_GENERATION));
        A32.setVolatile(shm, RAM + INT_MASK, INT_DISPLAY | INT_CURSOR | INT_IO_CMD | INT_ERROR);
        heapTop = GUEST;
        commandById.clear();
        idByCommand.clear();
        outstanding.clear();
        addMemslot(1, GUEST, shm.byteSize());
    }

    public void addMemslot(int slot, long start, long end) throws IOException {
        shm.set(LE64, RAM + MEM_SLOT, start);
        shm.set(LE64, RAM + MEM_SLOT + 8, end);
        check(io(IO_MEMSLOT_ADD, slot), "MEMSLOT_ADD");
    }

    /** QXLPHYSICAL of a region offset in slot 1. */
    public long phys(long regionOffset) {
        return physIn(1, generation, regionOffset - GUEST);
    }

    public static long physIn(int slot, int gen, long offsetInSlot) {
        return ((long) slot << 56) | ((long) (gen & 0xff) << 48) | offsetInSlot;
    }

    public long alloc(long size) {
        long at = (heapTop + 15) & ~15L;
        if (at + size > shm.byteSize()) throw new IllegalStateException("guest heap exhausted");
        heapTop = at + size;
        shm.asSlice(at, size).fill((byte) 0);
        return at;
    }

    /** A command struct of {@code size} bytes with a fresh release id at +0. */
    public long command(long size) {
        long off = alloc(size);
        long id = nextId++;
        shm.set(LE64, off, id);
        commandById.put(id, off);
        idByCommand.put(off, id);
        outstanding.add(id);
        return off;
    }

    public long idAt(long commandOffset) {
        Long id = idByCommand.get(commandOffset);
        if (id == null) throw new IllegalArgumentException("no command at " + commandOffset);
        return id;
    }

    /** The region offset of the command with release id {@code id}. */
    public long commandAt(long id) {
        Long off = commandById.get(id);
        if (off == null) throw new IllegalArgumentException("no command " + id);
        return off;
    }

    /**
     * Pushes a command built earlier again, once it came back (the host chained the release list through its
     * QXLReleaseInfo, so the id is written anew). Lets a long run recycle a pool instead of growing the heap.
     */
    public void resubmit(long commandOffset, int type) throws IOException {
        long id = idAt(commandOffset);
        if (!outstanding.add(id)) throw new IllegalStateException("command " + id + " not released yet");
        shm.set(LE64, commandOffset, id);
        push(false, phys(commandOffset), type);
    }

    // ---- IO mailbox ----

    /** One IO: write port and value, publish io_seq, ring vector 1, poll io_done_seq. Returns io_result. */
    public int io(int port, int val) throws IOException {
        ioSeq++;
        shm.set(LE32, TRANSPORT + T_IO_PORT, port);
        shm.set(LE32, TRANSPORT + T_IO_VAL, val);
        A32.setRelease(shm, TRANSPORT + T_IO_SEQ, ioSeq);
        peer.ring(hostId, VEC_IO);
        long end = System.nanoTime() + 5_000_000_000L;
        while ((int) A32.getAcquire(shm, TRANSPORT + T_IO_DONE_SEQ) != ioSeq) {
            if (System.nanoTime() > end) throw new IOException("IO " + port + " not completed within 5 s");
            Thread.onSpinWait();
            Thread.yield();
        }
        return shm.get(LE32, TRANSPORT + T_IO_RESULT);
    }

    private static void check(int result, String what) throws IOException {
        if (result != IO_OK) throw new IOException(what + " failed: " + result);
    }

    // ---- rings ----

    /** Pushes onto the command (or cursor) ring; kicks the host when it asked (prod == notify_on_prod). */
    public void push(boolean cursor, long phys, int type) throws IOException {
        long ring = RAM + (cursor ? CURSOR_RING : CMD_RING);
        int prod = (int) A32.getVolatile(shm, ring + R_PROD);
        long end = System.nanoTime() + 5_000_000_000L;
        while (prod - (int) A32.getAcquire(shm, ring + R_CONS) >= 32) { // full: ask to be told, re-check
            A32.setVolatile(shm, ring + R_NOTIFY_ON_CONS, (int) A32.getAcquire(shm, ring + R_CONS) + 1);
            VarHandle.fullFence();
            if (System.nanoTime() > end) throw new IOException("ring stayed full");
            Thread.yield();
        }
        long item = ring + R_ITEMS + 16L * (prod & 31);
        shm.set(LE64, item, phys);
        shm.set(LE32, item + 8, type);
        A32.setRelease(shm, ring + R_PROD, prod + 1);
        VarHandle.fullFence();
        if (prod + 1 == (int) A32.getVolatile(shm, ring + R_NOTIFY_ON_PROD)) {
            kicks++;
            peer.ring(hostId, VEC_KICK);
        }
    }

    public void kick() throws ErrnoException { peer.ring(hostId, VEC_KICK); }

    /** Pops the release ring, walking each list through QXLReleaseInfo.next; returns the ids released now. */
    public List<Long> collectReleases() {
        long ring = RAM + RELEASE_RING;
        List<Long> now = new ArrayList<>();
        int cons = (int) A32.getVolatile(shm, ring + R_CONS);
        int prod = (int) A32.getAcquire(shm, ring + R_PROD);
        while (cons != prod) {
            long id = shm.get(LE64, ring + R_ITEMS + 8L * (cons & 7));
            int guard = 0;
            while (id != 0) {
                Long off = commandById.get(id);
                if (off == null) throw new IllegalStateException("release of unknown id " + id);
                if (!outstanding.remove(id)) throw new IllegalStateException("id " + id + " released twice");
                now.add(id);
                id = shm.get(LE64, off);
                if (++guard > 1_000_000) throw new IllegalStateException("release chain loops");
            }
            cons++;
            A32.setRelease(shm, ring + R_CONS, cons);
            VarHandle.fullFence();
            prod = (int) A32.getAcquire(shm, ring + R_PROD);
        }
        // ask for a DISPLAY interrupt on the next publication
        A32.setVolatile(shm, ring + R_NOTIFY_ON_PROD, cons + 1);
        released.addAll(now);
        return now;
    }

    public Set<Long> outstanding() { return Set.copyOf(outstanding); }
    public List<Long> released() { return List.copyOf(released); }

    public int takeInterrupts() { return (int) A32.getAndSet(shm, RAM + INT_PENDING, 0); }
    public int interruptsPending() { return (int) A32.getVolatile(shm, RAM + INT_PENDING); }
    public int bugCode() { return shm.get(LE32, TRANSPORT + T_BUG_CODE); }
    public long stat(long transportOffset) { return shm.get(LE64, TRANSPORT + transportOffset); }

    // ---- surfaces ----

    /** CREATE_PRIMARY of width x height 32_xRGB, pixels in the guest heap (stride may be negative). */
    public int createPrimary(int width, int height, boolean bottomUp) throws IOException {
        primaryOffset = alloc(4L * width * height);
        primaryWidth = width;
        primaryHeight = height;
        long c = RAM + CREATE_SURFACE;
        shm.asSlice(c, 40).fill((byte) 0);
        shm.set(LE32, c, width);
        shm.set(LE32, c + 4, height);
        shm.set(LE32, c + 8, bottomUp ? -4 * width : 4 * width);
        shm.set(LE32, c + 12, FMT_32_XRGB);
        shm.set(LE64, c + 32, phys(primaryOffset));
        return io(IO_CREATE_PRIMARY_ASYNC, 0);
    }

    public int updateArea(int surfaceId, int x, int y, int w, int h) throws IOException {
        writeRect(RAM + UPDATE_AREA, x, y, w, h);
        shm.set(LE32, RAM + UPDATE_SURFACE, surfaceId);
        return io(IO_UPDATE_AREA_ASYNC, 0);
    }

    /** A pixel of the primary as the guest sees it (after UPDATE_AREA). */
    public int primaryPixel(int x, int y) {
        return shm.get(LE32, primaryOffset + 4L * (y * (long) primaryWidth + x));
    }

    public void writeRect(long at, int x, int y, int w, int h) {
        shm.set(LE32, at, y);
        shm.set(LE32, at + 4, x);
        shm.set(LE32, at + 8, y + h);
        shm.set(LE32, at + 12, x + w);
    }

    /** QXL_CMD_SURFACE create; returns the command's offset. {@code data} is a region offset or -1. */
    public long surfaceCreate(int id, int width, int height, long data, boolean keepData) throws IOException {
        long c = command(41);
        shm.set(LE32, c + 8, id);
        shm.set(ValueLayout.JAVA_BYTE, c + 12, (byte) 0);
        shm.set(LE32, c + 13, keepData ? 1 : 0);
        shm.set(LE32, c + 17, FMT_32_XRGB);
        shm.set(LE32, c + 21, width);
        shm.set(LE32, c + 25, height);
        shm.set(LE32, c + 29, 4 * width);
        shm.set(LE64, c + 33, data < 0 ? 0 : phys(data));
        push(false, phys(c), CMD_SURFACE);
        return c;
    }

    public long surfaceDestroy(int id) throws IOException {
        long c = command(41);
        shm.set(LE32, c + 8, id);
        shm.set(ValueLayout.JAVA_BYTE, c + 12, (byte) 1);
        push(false, phys(c), CMD_SURFACE);
        return c;
    }

    // ---- drawables ----

    /** A QXLDrawable of {@code type} on {@code surface} with bbox; clip rects optional (x, y, w, h quadruples). */
    public long drawable(int surface, int type, int x, int y, int w, int h, int[] clip) {
        long d = command(191);
        shm.set(LE32, d + 8, surface);
        shm.set(ValueLayout.JAVA_BYTE, d + 13, (byte) type);
        writeRect(d + 31, x, y, w, h);
        if (clip != null) {
            int n = clip.length / 4;
            long cr = alloc(24 + 16L * n); // QXLClipRects {num_rects, chunk{size, prev, next}} + rects
            shm.set(LE32, cr, n);
            shm.set(LE32, cr + 4, 16 * n);
            for (int i = 0; i < n; i++) writeRect(cr + 24 + 16L * i, clip[4 * i], clip[4 * i + 1], clip[4 * i + 2], clip[4 * i + 3]);
            shm.set(LE32, d + 47, 1);
            shm.set(LE64, d + 51, phys(cr));
        }
        for (int i = 0; i < 3; i++) shm.set(LE32, d + 63 + 4L * i, -1);
        return d;
    }

    public long fill(int surface, int x, int y, int w, int h, int color, int[] clip) throws IOException {
        long d = drawable(surface, 1, x, y, w, h, clip);
        shm.set(LE32, d + 123, 1);            // brush SOLID
        shm.set(LE32, d + 127, color);
        shm.set(LE16, d + 143, (short) 8);    // ROPD_OP_PUT
        push(false, phys(d), CMD_DRAW);
        return d;
    }

    /**
     * COPY of a w x h bitmap (xRGB words, top-down in {@code pixels}) to (x, y). {@code chunk} 0: a
     * direct bitmap; otherwise a QXLDataChunk chain of that many bytes per chunk. {@code bottomUp}
     * stores the rows bottom-up without TOP_DOWN.
     */
    public long copyBitmap(int surface, int x, int y, int w, int h, int[] pixels, int chunk, boolean bottomUp) throws IOException {
        long stride = 4L * w;
        byte[] data = new byte[(int) (stride * h)];
        MemorySegment ds = MemorySegment.ofArray(data);
        for (int row = 0; row < h; row++) {
            int stored = bottomUp ? h - 1 - row : row;
            for (int col = 0; col < w; col++) ds.set(LE32, stored * stride + 4L * col, pixels[row * w + col]);
        }
        long image = alloc(48);
        shm.set(ValueLayout.JAVA_BYTE, image + 8, (byte) 0);   // BITMAP
        shm.set(LE32, image + 10, w);
        shm.set(LE32, image + 14, h);
        shm.set(ValueLayout.JAVA_BYTE, image + 18, (byte) 8);  // 32BIT
        int flags = (chunk == 0 ? 1 : 0) | (bottomUp ? 0 : 4);
        shm.set(ValueLayout.JAVA_BYTE, image + 19, (byte) flags);
        shm.set(LE32, image + 20, w);
        shm.set(LE32, image + 24, h);
        shm.set(LE32, image + 28, (int) stride);
        if (chunk == 0) {
            long px = alloc(data.length);
            MemorySegment.copy(ds, 0, shm, px, data.length);
            shm.set(LE64, image + 40, phys(px));
        } else {
            long prevChunk = -1;
            for (int at = 0; at < data.length; at += chunk) {
                int n = Math.min(chunk, data.length - at);
                long c = alloc(20 + n);
                shm.set(LE32, c, n);
                MemorySegment.copy(ds, at, shm, c + 20, n);
                if (prevChunk < 0) shm.set(LE64, image + 40, phys(c));
                else {
                    shm.set(LE64, prevChunk + 12, phys(c));
                    shm.set(LE64, c + 4, phys(prevChunk));
                }
                prevChunk = c;
            }
        }
        return copy(surface, x, y, w, h, image, 0, 0, null);
    }

    /** COPY from surface {@code src}'s (sx, sy) to (x, y), w x h. */
    public long copySurface(int surface, int x, int y, int w, int h, int src, int sx, int sy) throws IOException {
        long image = alloc(22);
        shm.set(ValueLayout.JAVA_BYTE, image + 8, (byte) 104); // SURFACE
        shm.set(LE32, image + 18, src);
        return copy(surface, x, y, w, h, image, sx, sy, null);
    }

    public long copy(int surface, int x, int y, int w, int h, long image, int sx, int sy, int[] clip) throws IOException {
        long d = drawable(surface, 3, x, y, w, h, clip);
        shm.set(LE64, d + 123, phys(image));
        writeRect(d + 131, sx, sy, w, h);
        shm.set(LE16, d + 147, (short) 8);
        push(false, phys(d), CMD_DRAW);
        return d;
    }

    public long copyBits(int surface, int x, int y, int w, int h, int srcX, int srcY, int[] clip) throws IOException {
        long d = drawable(surface, 4, x, y, w, h, clip);
        shm.set(LE32, d + 123, srcX);
        shm.set(LE32, d + 127, srcY);
        push(false, phys(d), CMD_DRAW);
        return d;
    }

    // ---- cursor ----

    public long cursorSet(int x, int y, int w, int h) throws IOException {
        long shape = alloc(42 + 4L * w * h);
        shm.set(LE16, shape + 10, (short) w);
        shm.set(LE16, shape + 12, (short) h);
        shm.set(LE32, shape + 18, 4 * w * h);
        shm.set(LE32, shape + 22, 4 * w * h);                    // chunk.data_size
        for (int i = 0; i < w * h; i++) shm.set(LE32, shape + 42 + 4L * i, 0xff00ff00);
        long c = command(150);
        shm.set(ValueLayout.JAVA_BYTE, c + 8, (byte) 0);
        shm.set(LE16, c + 9, (short) x);
        shm.set(LE16, c + 11, (short) y);
        shm.set(ValueLayout.JAVA_BYTE, c + 13, (byte) 1);
        shm.set(LE64, c + 14, phys(shape));
        push(true, phys(c), CMD_CURSOR);
        return c;
    }

    public long cursorMove(int x, int y) throws IOException {
        long c = command(150);
        shm.set(ValueLayout.JAVA_BYTE, c + 8, (byte) 1);
        shm.set(LE16, c + 9, (short) x);
        shm.set(LE16, c + 11, (short) y);
        push(true, phys(c), CMD_CURSOR);
        return c;
    }

    public long cursorHide() throws IOException {
        long c = command(150);
        shm.set(ValueLayout.JAVA_BYTE, c + 8, (byte) 2);
        push(true, phys(c), CMD_CURSOR);
        return c;
    }

    @Override
    public void close() {
        peer.close();
    }
}
