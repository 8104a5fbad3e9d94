package dev.panamavgpu.gpu.device;

import dev.panamavgpu.gpu.display.DamageRect;
import dev.panamavgpu.gpu.display.DamageSource;
import dev.panamavgpu.gpu.display.DisplayChannel;
import dev.panamavgpu.gpu.protocol.GpuResponse;
import dev.panamavgpu.memory.MemoryManager;
import dev.panamavgpu.vhostuser.memory.GuestMemory;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The child process of {@link VirglStreamFuzzTest}: runs each input it is sent through the real
 * command path (decoder, {@link Gpu3d}'s checks, virglrenderer on llvmpipe), as a guest would send
 * it, and answers with the SUBMIT_3D response. A crash of virglrenderer kills only this process; the
 * parent sees the exit status and keeps the input.
 *
 * <p>Protocol: stdin carries {@code int length, bytes} per input (big-endian, {@link DataInputStream});
 * stdout carries {@link #MARK} and one {@code int} per input, the response type of the SUBMIT_3D
 * (System.out is moved to stderr; the mark tells an answer from the JVM's fatal-error summary, which
 * it writes to stdout). A Java exception (an oracle failing) exits with status 3.
 *
 * <p>Each input runs in a fresh device (context 1 with a 64x64 texture, resource 1, and a 4 KiB
 * buffer, resource 2, both backed and attached), then everything is destroyed: a crash depends on
 * the one input, so Jazzer's saved input replays it.
 */
final class VirglChild {
    /** Formats of resource 1 (virgl_formats: B8G8R8A8, B8G8R8X8, R8G8B8A8, R8 UNORM), picked by the input's first byte. */
    static final int[] FORMATS = {1, 2, 67, 64};
    /** Precedes every answer. */
    static final int MARK = 0x7669726c; // "virl"
    static final int RES_TEXTURE = 1, RES_BUFFER = 2, CTX = 1;

    /** With -Dvirgl.child.selfTest=true (VirglChildProcessTest only), the input {@link #CRASH} crashes the child in native code. */
    static final boolean SELF_TEST = Boolean.getBoolean("virgl.child.selfTest");
    static final byte[] CRASH = "crash in native code".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private VirglChild() {}

    /** A read of address 0 from native code's point of view: SIGSEGV, as a crash inside virglrenderer would be. */
    private static void crash() {
        System.err.println("self test: reading address 0");
        MemorySegment.NULL.reinterpret(8).get(java.lang.foreign.ValueLayout.JAVA_LONG, 0);
    }

    public static void main(String[] args) throws Exception {
        DataOutputStream out = new DataOutputStream(new FileOutputStream(FileDescriptor.out));
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
        DataInputStream in = new DataInputStream(System.in);
        try {
            Gpu3dCommandFuzzTest.setUp();
            out.writeInt(MARK);
            out.writeInt(0); // ready
            out.flush();
            while (true) {
                int n;
                try { n = in.readInt(); } catch (EOFException e) { break; }
                if (n < 0 || n > (1 << 20)) throw new IllegalStateException("input length " + n);
                byte[] input = in.readNBytes(n);
                if (SELF_TEST && Arrays.equals(input, CRASH)) crash();
                int answer = run(input);
                out.writeInt(MARK);
                out.writeInt(answer);
                out.flush();
            }
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(3);
        }
        Gpu3dCommandFuzzTest.tearDown();
        System.exit(0);
    }

    /** Runs one input (format byte, then the virgl stream) in a fresh device; the SUBMIT_3D's response type. */
    static int run(byte[] input) throws Exception {
        int format = FORMATS[input.length == 0 ? 0 : (input[0] & 0xff) % FORMATS.length];
        byte[] stream = input.length == 0 ? new byte[0] : Arrays.copyOfRange(input, 1, input.length);
        LinkedBlockingQueue<Runnable> back = new LinkedBlockingQueue<>();
        MemoryManager memory = new MemoryManager(Gpu3dCommandFuzzTest.MEMORY);
        Gpu2d[] g2 = new Gpu2d[1];
        DisplayChannel display = new DisplayChannel(Gpu3dCommandFuzzTest.loop, new DamageSource() {
            @Override public boolean render(int id, DamageRect r, MemorySegment o) { return g2[0].render(id, r, o); }
            @Override public MemorySegment[] directRows(int id, DamageRect r) { return g2[0].directRows(id, r); }
        });
        g2[0] = new Gpu2d(Gpu3dCommandFuzzTest.LIMITS, memory, display);
        GuestMemory guest = GuestMemory.of(List.of(Gpu3dCommandFuzzTest.region), 1);
        g2[0].memoryChanged(guest);
        Gpu3d g = new Gpu3d(Gpu3dCommandFuzzTest.renderer, back::add, memory, g2[0], Gpu3dCommandFuzzTest.LIMITS, () -> true);
        g.memoryChanged(guest);
        try {
            for (byte[] r : List.of(ctxCreate(), create(RES_TEXTURE, 2, format, 1 << 1 | 1 << 3, 64, 64),
                    create(RES_BUFFER, 0, 64, 1 << 4, 4096, 1), attach(RES_TEXTURE, 0, 64 * 64 * 4),
                    attach(RES_BUFFER, 0x10000, 4096), ctxAttach(RES_TEXTURE), ctxAttach(RES_BUFFER))) {
                GpuResponse a = Gpu3dCommandFuzzTest.execute(g, g2[0], r, back, true);
                if (!(a instanceof GpuResponse.OkNoData)) throw new IllegalStateException("set-up refused: " + a);
            }
            GpuResponse answer = Gpu3dCommandFuzzTest.execute(g, g2[0], submit(stream), back, true);
            // read back what the stream drew: a transfer after a bad stream must still work or be refused
            Gpu3dCommandFuzzTest.execute(g, g2[0], readBack(), back, true);
            return answer.wireType();
        } finally {
            g = Gpu3dCommandFuzzTest.reset(g, g2[0], memory, back, guest);
            g.close();
            g2[0].reset();
            Gpu3dCommandFuzzTest.drain(back);
            display.close();
            memory.close();
        }
    }

    static byte[] ctxCreate() {
        ByteBuffer b = Gpu3dCommandFuzzTest.start(96, 0x200, CTX);
        return b.array(); // context_init 0: the virgl capset (virgl2 where the renderer has it)
    }

    static byte[] create(int id, int target, int format, int bind, int width, int height) {
        ByteBuffer b = Gpu3dCommandFuzzTest.start(72, 0x204, 0);
        int[] f = {id, target, format, bind, width, height, 1, 1, 0, 0, 0};
        for (int i = 0; i < f.length; i++) b.putInt(24 + 4 * i, f[i]);
        return b.array();
    }

    static byte[] attach(int id, long addr, int length) {
        ByteBuffer b = Gpu3dCommandFuzzTest.start(48, 0x106, 0);
        b.putInt(24, id).putInt(28, 1).putLong(32, addr).putInt(40, length);
        return b.array();
    }

    static byte[] ctxAttach(int id) {
        ByteBuffer b = Gpu3dCommandFuzzTest.start(32, 0x202, CTX);
        b.putInt(24, id);
        return b.array();
    }

    static byte[] submit(byte[] stream) {
        ByteBuffer b = Gpu3dCommandFuzzTest.start(32 + stream.length, 0x207, CTX);
        b.putInt(24, stream.length);
        b.put(32, stream);
        return b.array();
    }

    static byte[] readBack() {
        ByteBuffer b = Gpu3dCommandFuzzTest.start(72, 0x206, CTX);
        b.putInt(24, 0).putInt(28, 0).putInt(32, 0).putInt(36, 64).putInt(40, 64).putInt(44, 1);
        b.putInt(56, RES_TEXTURE).putInt(64, 64 * 4);
        return b.array();
    }
}
