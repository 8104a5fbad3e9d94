package dev.panamavgpu.gpu.fuzz;

import static dev.panamavgpu.gpu.fuzz.GpuCommands.*;
import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.gpu.device.Gpu2d;
import dev.panamavgpu.gpu.device.GpuLimits;
import dev.panamavgpu.gpu.display.DamageRect;
import dev.panamavgpu.gpu.display.DamageSource;
import dev.panamavgpu.memory.FaultyDisk;
import dev.panamavgpu.memory.MemoryFigures;
import dev.panamavgpu.memory.MemoryLimits;
import dev.panamavgpu.memory.MemoryManager;
import dev.panamavgpu.gpu.display.DisplayChannel;
import dev.panamavgpu.gpu.protocol.DecodeResult;
import dev.panamavgpu.gpu.protocol.GpuCommandDecoder;
import dev.panamavgpu.gpu.protocol.GpuResponse;
import dev.panamavgpu.gpu.protocol.GpuResponseEncoder;
import dev.panamavgpu.vhostuser.fuzz.FuzzBytes;
import dev.panamavgpu.vhostuser.loop.EventLoop;
import dev.panamavgpu.vhostuser.memory.GuestMemory;
import dev.panamavgpu.vhostuser.memory.MappedRegion;
import dev.panamavgpu.vhostuser.memory.RegionSpec;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz target 2: the virtio-gpu command path, decoder plus 2D device, on arbitrary command bytes
 * and on sequences of well-formed commands with arbitrary fields (create, attach, transfer, flush,
 * scanout, cursor, unref, ... interleaved), with guest memory of two 32 KiB regions of which the low
 * one can be removed (really unmapped) and put back, and the display side rendering scanouts.
 *
 * <p>Oracles: no exception escapes the decoder or the device; every response encodes into its
 * struct and nothing beyond it; host memory stays within the budget; a reset gives every byte of
 * the budget back and leaves no resource.
 */
class GpuCommandFuzzTest {
    static final long REGION = 0x8000;
    static final GpuLimits LIMITS = new GpuLimits(4, 32, 16384, 16384, 1280, 800);
    /** Small enough that resources move to the page file and back while fuzzing. */
    static final MemoryLimits MEMORY = new MemoryLimits(2L << 20, 8L << 20, Path.of("/var/tmp"));
    static final int[] FORMATS = {1, 2, 3, 4, 67, 68, 121, 134};
    static final int[] TYPES = {GET_DISPLAY_INFO, CREATE_2D, UNREF, SET_SCANOUT, FLUSH, TRANSFER, ATTACH, DETACH,
            GET_CAPSET_INFO, GET_CAPSET, GET_EDID, ASSIGN_UUID, UPDATE_CURSOR, MOVE_CURSOR, 0x200, 0x207, 0x10c, 0};

    /** New operations go at the end: seeds pick one as a byte modulo the count, so older seeds keep their meaning. */
    enum Op { RAW, CREATE, ATTACH, DETACH, UNREF, TRANSFER, SCANOUT, FLUSH, CURSOR, OTHER, REMOVE_LOW, RESTORE_LOW, RENDER, RESET,
        DISK_FAILS, DISK_HEALS }

    private static Fd memfd;
    private static MappedRegion high;
    private static EventLoop loop;
    private static final MemorySegment response = MemorySegment.ofArray(new byte[4096]);
    private static final MemorySegment pixels = MemorySegment.ofArray(new byte[64 * 64 * 4]);

    @BeforeAll
    static void setUp() throws Exception {
        memfd = Libc.memfdCreate("fuzz-gpu-guest", Libc.MFD_CLOEXEC);
        Libc.ftruncate(memfd.get(), 2 * REGION);
        // non-zero guest memory, so transferred pixels are not all zeros (the page file skips zero chunks)
        byte[] pattern = new byte[(int) (2 * REGION)];
        for (int i = 0; i < pattern.length; i++) pattern[i] = (byte) (i * 7 + 1);
        try (java.lang.foreign.Arena a = java.lang.foreign.Arena.ofConfined()) {
            dev.panamavgpu.ffm.FileIo.pwriteFully(memfd, a.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, pattern), 0);
        }
        high = MappedRegion.map(new RegionSpec(REGION, REGION, 0x7000_0000_8000L, REGION), memfd);
        loop = new EventLoop(); // never run: the display channel has no socket here and only queues
    }

    @AfterAll
    static void tearDown() {
        high.close();
        memfd.close();
        loop.close();
    }

    @FuzzTest(maxDuration = "10s")
    void commands(byte[] input) throws Exception {
        run(input);
    }

    /** Runs one input on a fresh device; returns the response types, for the seed tests. */
    static List<Integer> run(byte[] input) throws Exception {
        FuzzBytes in = new FuzzBytes(input);
        List<Integer> answers = new ArrayList<>();
        MappedRegion low = mapLow();
        Gpu2d[] gpu = new Gpu2d[1];
        DisplayChannel display = new DisplayChannel(loop, new DamageSource() {
            @Override public boolean render(int id, DamageRect rect, MemorySegment out) { return gpu[0].render(id, rect, out); }
            @Override public MemorySegment[] directRows(int id, DamageRect rect) { return gpu[0].directRows(id, rect); }
        });
        FaultyDisk disk = new FaultyDisk(); // the page file's disk can fail (ENOSPC, EIO) and heal mid-sequence
        MemoryManager memory = disk.manager(MEMORY);
        memory.onBeforeUnmap(display::forget);
        gpu[0] = new Gpu2d(LIMITS, memory, display);
        Gpu2d g = gpu[0];
        g.memoryChanged(GuestMemory.of(List.of(low, high), 1));
        try {
            for (int steps = 0; in.more() && steps < 200; steps++) {
                Op op = Op.values()[in.pick(Op.values().length)];
                switch (op) {
                    case REMOVE_LOW -> {
                        g.memoryChanged(GuestMemory.of(List.of(high), 2)); // as BackendConnection does: switch, then unmap
                        low.close();
                    }
                    case RESTORE_LOW -> {
                        low.close();
                        low = mapLow();
                        g.memoryChanged(GuestMemory.of(List.of(low, high), 3));
                    }
                    case RENDER -> render(g, in);
                    case DISK_FAILS -> {
                        boolean writes = in.bool();
                        if (writes) disk.failWrites(true); else disk.failReads(true);
                    }
                    case DISK_HEALS -> {
                        disk.failWrites(false);
                        disk.failReads(false);
                        disk.advancePastRetry();
                    }
                    case RESET -> {
                        g.reset();
                        assertEquals(0, memory.figures().total(), "host memory charged after a reset");
                    }
                    default -> answers.add(execute(g, command(op, in), in.u8() & 3, in.u64()));
                }
                MemoryFigures f = memory.figures();
                assertTrue(f.total() <= MEMORY.maxTotal() && f.resident() + f.tables() <= MEMORY.maxResident(), "over budget: " + f);
                assertTrue(g.resourceCount() <= LIMITS.maxResources(), "resources: " + g.resourceCount());
            }
            g.reset();
            assertEquals(0, memory.figures().total(), "host memory charged after the final reset");
            assertEquals(0, g.resourceCount());
        } finally {
            g.reset();
            display.close();
            memory.close();
            low.close();
        }
        return answers;
    }

    private static MappedRegion mapLow() throws Exception {
        return MappedRegion.map(new RegionSpec(0, REGION, 0x7000_0000_0000L, 0), memfd);
    }

    private static int execute(Gpu2d g, byte[] request, int flags, long fence) throws Exception { // a GuestMemoryFault is a finding: backings follow the table
        if (request.length >= 24 && (flags & 1) != 0) { // fenced, sometimes with a ring index
            MemorySegment r = MemorySegment.ofArray(request);
            r.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 4, flags);
            r.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 8, fence);
        }
        DecodeResult d = GpuCommandDecoder.decode(MemorySegment.ofArray(request));
        GpuResponse resp;
        var hdr = switch (d) {
            case DecodeResult.Rejected x -> { resp = x.response(); yield x.header(); }
            case DecodeResult.Decoded x -> { resp = g.execute(x.command()); yield x.header(); }
        };
        response.fill((byte) 0xAA);
        OptionalInt n = GpuResponseEncoder.encode(resp, hdr, response);
        assertTrue(n.isPresent(), "response " + resp + " does not fit 4 KiB");
        for (long i = n.getAsInt(); i < response.byteSize(); i++) {
            if (response.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i) != (byte) 0xAA) fail("response wrote beyond its " + n.getAsInt() + " bytes");
        }
        return resp.wireType();
    }

    private static byte[] command(Op op, FuzzBytes in) {
        return switch (op) {
            case RAW -> in.lengthPrefixed(600);
            case CREATE -> create(id(in), in.pick(9) < 8 ? FORMATS[in.pick(8)] : (int) in.u32(), size(in), size(in));
            case ATTACH -> {
                Entry[] e = new Entry[in.pick(4)];
                for (int i = 0; i < e.length; i++) e[i] = new Entry(addr(in), length(in));
                yield attach(id(in), e);
            }
            case DETACH -> idOnly(DETACH, id(in));
            case UNREF -> idOnly(UNREF, id(in));
            case TRANSFER -> transfer(id(in), coord(in), coord(in), size(in), size(in), in.pick(4) == 0 ? in.u64() : in.u16());
            case SCANOUT -> setScanout(in.pick(6), id(in), coord(in), coord(in), size(in), size(in));
            case FLUSH -> flush(id(in), coord(in), coord(in), size(in), size(in));
            case CURSOR -> cursor(in.bool() ? UPDATE_CURSOR : MOVE_CURSOR, in.pick(6), coord(in), coord(in), id(in), in.pick(70), in.pick(70));
            default -> twoU32(TYPES[in.pick(TYPES.length)], in.pick(4) == 0 ? in.u32() : in.pick(20), in.u8());
        };
    }

    /** Resource ids: mostly a few small ones (so commands meet the same resources), sometimes 0 or arbitrary. */
    private static long id(FuzzBytes in) { int k = in.pick(8); return k < 6 ? k : in.u32(); }

    /** Sizes: the shapes that matter (cursor, minimum scanout, small, the dimension limit) and arbitrary u32s. */
    private static long size(FuzzBytes in) {
        long[] s = {64, 16, 1, 0, 32, 16384, 16385, 0x40000001L};
        int k = in.pick(s.length + 2);
        return k < s.length ? s[k] : k == s.length ? in.u16() : in.u32();
    }

    private static long coord(FuzzBytes in) { int k = in.pick(4); return k == 0 ? in.u32() : k == 1 ? 0xffffffffL : in.pick(64); }

    private static long addr(FuzzBytes in) {
        int k = in.pick(4);
        return k == 0 ? in.u64() : k == 1 ? 0x7f00 + in.pick(256) : in.u16() * 16L % (2 * REGION);
    }

    private static long length(FuzzBytes in) { int k = in.pick(4); return k == 0 ? in.u32() : k == 1 ? 0x4000 : in.u16(); }

    private static void render(Gpu2d g, FuzzBytes in) {
        int scanout = in.pick(LIMITS.maxOutputs());
        long x = in.pick(80), y = in.pick(80), w = 1 + in.pick(64), h = 1 + in.pick(64);
        // the display channel only asks for rectangles clipped to the scanout; render itself must refuse others
        g.render(scanout, new DamageRect(x, y, w, h), pixels.asSlice(0, w * h * 4));
    }
}
