package dev.panamavgpu.gpu.device;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.ffm.Virglrenderer;
import dev.panamavgpu.gpu.display.DamageRect;
import dev.panamavgpu.gpu.display.DamageSource;
import dev.panamavgpu.gpu.display.DisplayChannel;
import dev.panamavgpu.gpu.protocol.CtrlHdr;
import dev.panamavgpu.gpu.protocol.DecodeResult;
import dev.panamavgpu.gpu.protocol.GpuCommand;
import dev.panamavgpu.gpu.protocol.GpuCommandDecoder;
import dev.panamavgpu.gpu.protocol.GpuResponse;
import dev.panamavgpu.gpu.protocol.GpuResponseEncoder;
import dev.panamavgpu.gpu.virgl.Renderer;
import dev.panamavgpu.memory.MemoryFigures;
import dev.panamavgpu.memory.MemoryLimits;
import dev.panamavgpu.memory.MemoryManager;
import dev.panamavgpu.vhostuser.fuzz.FuzzBytes;
import dev.panamavgpu.vhostuser.loop.EventLoop;
import dev.panamavgpu.vhostuser.memory.GuestMemory;
import dev.panamavgpu.vhostuser.memory.MappedRegion;
import dev.panamavgpu.vhostuser.memory.RegionSpec;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz target: the 3D command path, decoder plus {@link Gpu3d}'s checks, on arbitrary request bytes
 * of the 3D types and on sequences of well-formed 3D commands with arbitrary fields (contexts,
 * 3D resources, backing in guest memory, transfers with arbitrary boxes, offsets and strides,
 * scanout and flush of 3D resources, resets), against the real virglrenderer (llvmpipe).
 *
 * <p>What passes the checks is called in C in this process, so a check that lets a bad box
 * through shows up as a crash of the fuzzer (Jazzer keeps the input). SUBMIT_3D payloads are
 * replaced by a known-good clear: random virgl command streams exercise virglrenderer's own parser,
 * which would take the process down with it (docs/security.md); {@link VirglStreamFuzzTest} fuzzes
 * those in a child process. Oracles: nothing throws, every response encodes, the budget holds, a reset gives
 * every byte back.
 */
class Gpu3dCommandFuzzTest {
    static final long REGION = 0x40000;
    static final GpuLimits LIMITS = new GpuLimits(2, 32, 64, 16384, 1280, 800);
    static final MemoryLimits MEMORY = new MemoryLimits(16L << 20, 32L << 20, Path.of("/var/tmp"));
    static final int[] TYPES = {0x200, 0x201, 0x202, 0x203, 0x204, 0x205, 0x206, 0x207, 0x108, 0x109};

    enum Op { RAW, CTX_CREATE, CTX_DESTROY, CTX_RESOURCE, CREATE, ATTACH, DETACH, UNREF, TRANSFER, SUBMIT, SCANOUT, FLUSH, RESET }

    private static Fd memfd;
    static MappedRegion region;
    static EventLoop loop;
    static Renderer renderer;
    private static final MemorySegment response = MemorySegment.ofArray(new byte[4096]);

    @BeforeAll
    static void setUp() throws Exception {
        assumeTrue(Virglrenderer.available(), () -> "skipped: " + Virglrenderer.unavailableReason());
        renderer = Renderer.shared(null);
        memfd = Libc.memfdCreate("fuzz-gpu3d-guest", Libc.MFD_CLOEXEC);
        Libc.ftruncate(memfd.get(), REGION);
        region = MappedRegion.map(new RegionSpec(0, REGION, 0x7100_0000_0000L, 0), memfd);
        loop = new EventLoop(); // never run: the display channel only queues
    }

    @AfterAll
    static void tearDown() {
        if (region != null) region.close();
        if (memfd != null) memfd.close();
        if (loop != null) loop.close();
    }

    @FuzzTest(maxDuration = "10s")
    void commands(byte[] input) throws Exception {
        FuzzBytes in = new FuzzBytes(input);
        LinkedBlockingQueue<Runnable> back = new LinkedBlockingQueue<>(); // this thread plays the loop
        MemoryManager memory = new MemoryManager(MEMORY);
        Gpu2d[] g2 = new Gpu2d[1];
        DisplayChannel display = new DisplayChannel(loop, new DamageSource() {
            @Override public boolean render(int id, DamageRect r, MemorySegment out) { return g2[0].render(id, r, out); }
            @Override public MemorySegment[] directRows(int id, DamageRect r) { return g2[0].directRows(id, r); }
        });
        g2[0] = new Gpu2d(LIMITS, memory, display);
        GuestMemory guest = GuestMemory.of(java.util.List.of(region), 1);
        g2[0].memoryChanged(guest);
        Gpu3d g = new Gpu3d(renderer, back::add, memory, g2[0], LIMITS, () -> true);
        g.memoryChanged(guest);
        try {
            for (int steps = 0; in.more() && steps < 100; steps++) {
                Op op = Op.values()[in.pick(Op.values().length)];
                if (op == Op.RESET) {
                    g = reset(g, g2[0], memory, back, guest);
                    continue;
                }
                execute(g, g2[0], request(op, in), back);
                MemoryFigures f = memory.figures();
                assertTrue(f.total() <= MEMORY.maxTotal(), "over budget: " + f);
                assertTrue(g.resourceCount() + g2[0].resourceCount() <= LIMITS.maxResources() * 2, "resources");
            }
            g = reset(g, g2[0], memory, back, guest);
        } finally {
            g.close();
            g2[0].reset();
            drain(back);
            display.close();
            memory.close();
        }
    }

    static Gpu3d reset(Gpu3d g, Gpu2d g2, MemoryManager memory, LinkedBlockingQueue<Runnable> back, GuestMemory guest) throws Exception {
        g.close();
        g2.reset();
        assertEquals(0, memory.figures().total(), "host memory charged after a reset");
        drain(back); // late results of the closed Gpu3d are dropped
        Gpu3d n = new Gpu3d(renderer, back::add, memory, g2, LIMITS, () -> true);
        n.memoryChanged(guest);
        return n;
    }

    /** Runs what the renderer thread sent back until the renderer has caught up (a marker task returns). */
    static void drain(LinkedBlockingQueue<Runnable> back) throws Exception {
        boolean[] done = {false};
        renderer.submit(() -> back.add(() -> done[0] = true));
        while (!done[0]) {
            Runnable t = back.poll(10, TimeUnit.SECONDS);
            assertNotNull(t, "the renderer thread did not answer in 10 s");
            t.run();
        }
    }

    private static void execute(Gpu3d g, Gpu2d g2, byte[] request, LinkedBlockingQueue<Runnable> back) throws Exception {
        execute(g, g2, request, back, false);
    }

    /**
     * Decodes and runs one request, waits for its answer and checks it encodes. With
     * {@code realStream} a SUBMIT_3D keeps its own payload (only in {@link VirglChild}'s process).
     */
    static GpuResponse execute(Gpu3d g, Gpu2d g2, byte[] request, LinkedBlockingQueue<Runnable> back, boolean realStream) throws Exception {
        DecodeResult d = GpuCommandDecoder.decode(MemorySegment.ofArray(request));
        GpuResponse[] answer = {null};
        CtrlHdr hdr;
        switch (d) {
            case DecodeResult.Rejected x -> { answer[0] = x.response(); hdr = x.header(); }
            case DecodeResult.Decoded x -> {
                hdr = x.header();
                GpuCommand c = x.command();
                if (c instanceof GpuCommand.Submit3d s && !realStream) c = new GpuCommand.Submit3d(s.ctxId(), clear(1 + (request.length % 4)));
                if (g.handles(c)) g.execute(hdr, c, r -> answer[0] = r);
                else answer[0] = g2.execute(c);
            }
        }
        drain(back);
        assertNotNull(answer[0], "no answer to " + d);
        response.fill((byte) 0xAA);
        assertTrue(GpuResponseEncoder.encode(answer[0], hdr, response).isPresent(), "response does not fit: " + answer[0]);
        return answer[0];
    }

    /** A clear of resource {@code id} through surface 1 (the payload every SUBMIT_3D gets here). */
    static byte[] clear(long id) {
        ByteBuffer b = ByteBuffer.allocate(4 * (6 + 4 + 9)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(1 | 8 << 8 | 5 << 16).putInt(1).putInt((int) id).putInt(2).putInt(0).putInt(0);
        b.putInt(5 | 3 << 16).putInt(1).putInt(0).putInt(1);
        b.putInt(7 | 8 << 16).putInt(4).putFloat(1).putFloat(0).putFloat(0).putFloat(1).putLong(Double.doubleToRawLongBits(1.0)).putInt(0);
        return b.array();
    }

    static ByteBuffer start(int size, int type, int ctx) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, type);
        b.putInt(16, ctx);
        return b;
    }

    private static byte[] request(Op op, FuzzBytes in) {
        return switch (op) {
            case RAW -> {
                byte[] b = in.lengthPrefixed(200);
                if (b.length >= 4) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0, TYPES[in.pick(TYPES.length)]);
                if (b.length >= 8) ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(4, 0); // unfenced
                yield b;
            }
            case CTX_CREATE -> {
                ByteBuffer b = start(96, 0x200, (int) small(in));
                b.putInt(24, in.pick(70));
                b.putInt(28, in.pick(4) == 0 ? (int) in.u32() : in.pick(4));
                yield b.array();
            }
            case CTX_DESTROY -> start(24, 0x201, (int) small(in)).array();
            case CTX_RESOURCE -> {
                ByteBuffer b = start(32, in.bool() ? 0x202 : 0x203, (int) small(in));
                b.putInt(24, (int) small(in));
                yield b.array();
            }
            case CREATE -> {
                ByteBuffer b = start(72, 0x204, 0);
                long[] f = {small(in), in.pick(10), in.pick(3) == 0 ? in.u32() : new int[] {1, 2, 64, 67}[in.pick(4)], in.u8(),
                        dim(in), dim(in), in.pick(3) == 0 ? in.u32() : 1 + in.pick(3), in.pick(3) == 0 ? in.u32() : 1 + in.pick(3),
                        in.pick(17), in.pick(4) == 0 ? in.u32() : 0, 0};
                for (int i = 0; i < f.length; i++) b.putInt(24 + 4 * i, (int) f[i]);
                yield b.array();
            }
            case ATTACH -> {
                int n = in.pick(4);
                ByteBuffer b = start(32 + 16 * n, 0x106, 0);
                b.putInt(24, (int) small(in));
                b.putInt(28, n);
                for (int i = 0; i < n; i++) {
                    b.putLong(32 + 16 * i, in.pick(4) == 0 ? in.u64() : in.pick(64) * 4096L);
                    b.putInt(40 + 16 * i, in.pick(4) == 0 ? (int) in.u32() : 4096 * (1 + in.pick(16)));
                }
                yield b.array();
            }
            case DETACH -> { ByteBuffer b = start(32, 0x107, 0); b.putInt(24, (int) small(in)); yield b.array(); }
            case UNREF -> { ByteBuffer b = start(32, 0x102, 0); b.putInt(24, (int) small(in)); yield b.array(); }
            case TRANSFER -> {
                ByteBuffer b = start(72, in.bool() ? 0x205 : 0x206, in.pick(3));
                for (int i = 0; i < 6; i++) b.putInt(24 + 4 * i, (int) coord(in));
                b.putLong(48, in.pick(4) == 0 ? in.u64() : in.pick(8) * 256L);
                b.putInt(56, (int) small(in));
                b.putInt(60, in.pick(4) == 0 ? (int) in.u32() : in.pick(3));
                b.putInt(64, in.pick(3) == 0 ? (int) in.u32() : in.pick(2) * 256);
                b.putInt(68, in.pick(3) == 0 ? (int) in.u32() : 0);
                yield b.array();
            }
            case SUBMIT -> {
                ByteBuffer b = start(32 + 16, 0x207, (int) small(in));
                b.putInt(24, in.pick(4) == 0 ? (int) in.u32() : 16);
                yield b.array();
            }
            case SCANOUT -> {
                ByteBuffer b = start(48, 0x103, 0);
                for (int i = 0; i < 4; i++) b.putInt(24 + 4 * i, (int) coord(in));
                b.putInt(40, in.pick(3));
                b.putInt(44, (int) small(in));
                yield b.array();
            }
            case FLUSH -> {
                ByteBuffer b = start(48, 0x104, 0);
                for (int i = 0; i < 4; i++) b.putInt(24 + 4 * i, (int) coord(in));
                b.putInt(40, (int) small(in));
                yield b.array();
            }
            case RESET -> new byte[0];
        };
    }

    /** Ids of contexts and resources: mostly a few small ones, sometimes 0 or arbitrary. */
    private static long small(FuzzBytes in) { int k = in.pick(8); return k < 6 ? k : in.u32(); }

    private static long dim(FuzzBytes in) {
        long[] s = {1, 16, 64, 0, 16384, 16385};
        int k = in.pick(s.length + 1);
        return k < s.length ? s[k] : in.u32();
    }

    private static long coord(FuzzBytes in) { int k = in.pick(4); return k == 0 ? in.u32() : k == 1 ? 0xffffffffL : in.pick(80); }
}
