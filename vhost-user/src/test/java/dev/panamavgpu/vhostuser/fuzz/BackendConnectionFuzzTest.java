package dev.panamavgpu.vhostuser.fuzz;

import static dev.panamavgpu.vhostuser.message.Request.*;
import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.EventFd;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.ffm.UnixSockets;
import dev.panamavgpu.vhostuser.LoopbackDevice;
import dev.panamavgpu.vhostuser.backend.BackendConnection;
import dev.panamavgpu.vhostuser.frontend.GuestRam;
import dev.panamavgpu.vhostuser.loop.EventLoop;
import java.io.File;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz target 3: the vhost-user message handler ({@link BackendConnection}) on arbitrary messages,
 * payloads and fds, with a loopback device behind it. The target plays the front-end over a
 * socketpair and turns the connection's event loop by hand; the fds it attaches are memfds (64 KiB
 * of guest RAM it can also write into) and eventfds it can signal as kicks. See {@link Op} for the
 * input format.
 *
 * <p>Oracles: nothing escapes into the event loop (the connection still notices the front-end's
 * close afterwards); the device is detached exactly once; when the run is over, every fd and every
 * mapping the back-end received is released.
 */
class BackendConnectionFuzzTest {
    static final long RAM = 0x10000;
    private static GuestRam ram;
    private static final Arena arena = Arena.ofShared();
    private static final MemorySegment recv = arena.allocate(8192);

    /** Operations of the input; each is one byte followed by its fields. */
    enum Op { RAW, MEM_TABLE, ADD_REG, REM_REG, VRING_NUM, VRING_ADDR, VRING_STATE, VRING_FD, KICK, WRITE_RAM, CONFIG, U64 }

    @BeforeAll
    static void setUp() throws Exception { ram = new GuestRam(0, RAM); }

    @AfterAll
    static void tearDown() {
        ram.close();
        ram = null;
    }

    @FuzzTest(maxDuration = "10s")
    void messages(byte[] input) throws Exception {
        run(input);
    }

    /** Runs one input through a fresh connection; returns the device, for the seed tests. */
    static LoopbackDevice run(byte[] input) throws Exception {
        ram.memory().fill((byte) 0);
        int fdsBefore = openFds();
        long mapsBefore = ramMappings();
        List<Fd> ours = new ArrayList<>();
        EventLoop loop = new EventLoop();
        Fd[] pair = UnixSockets.socketpair(true);
        LoopbackDevice device = new LoopbackDevice();
        AtomicBoolean closedCallback = new AtomicBoolean();
        BackendConnection c = new BackendConnection(loop, pair[1], device, () -> closedCallback.set(true));
        try {
            c.start();
            FuzzBytes in = new FuzzBytes(input);
            for (int steps = 0; in.more() && steps < 64 && !c.isClosed(); steps++) {
                step(in, pair[0], ours, loop);
                turn(loop);
                drain(pair[0]);
            }
            pair[0].close(); // the front-end goes away
            turn(loop);
            assertTrue(c.isClosed() && closedCallback.get(), "the connection did not notice the front-end's close");
            assertEquals(1, device.detaches.get(), "device detaches");
        } finally {
            c.close();
            pair[0].close();
            ours.forEach(Fd::close);
            loop.close();
        }
        assertEquals(fdsBefore, openFds(), "open fds after the connection is gone");
        assertEquals(mapsBefore, ramMappings(), "guest RAM mappings after the connection is gone");
        return device;
    }

    private static void step(FuzzBytes in, Fd fe, List<Fd> ours, EventLoop loop) throws Exception {
        Op op = Op.values()[in.pick(Op.values().length)];
        int flags = switch (in.pick(4)) { case 0 -> 0x1; case 1 -> 0x9; case 2 -> 0x0; default -> in.u8() | in.u8() << 8; };
        switch (op) {
            case RAW -> {
                int request = in.u8();
                byte[] payload = in.lengthPrefixed(4200); // beyond 4096 the connection is dropped
                int announced = in.bool() ? in.u16() : payload.length;
                send(fe, request, flags, announced, payload, fds(in, ours), loop);
            }
            case MEM_TABLE -> {
                int n = in.pick(4);
                ByteBuffer p = le(8 + 32 * n).putInt(n).putInt(0);
                for (int i = 0; i < n; i++) region(in, p);
                int nfds = in.bool() ? n : in.pick(4);
                send(fe, SET_MEM_TABLE, flags, p.array(), ramFds(nfds), loop);
            }
            case ADD_REG, REM_REG -> {
                ByteBuffer p = le(40).putLong(0);
                region(in, p);
                int nfds = op == Op.ADD_REG ? (in.bool() ? 1 : in.pick(3)) : in.pick(2);
                send(fe, op == Op.ADD_REG ? ADD_MEM_REG : REM_MEM_REG, flags, p.array(), ramFds(nfds), loop);
            }
            case VRING_NUM -> send(fe, SET_VRING_NUM, flags, le(8).putInt(in.pick(3)).putInt(pickNum(in)).array(), new int[0], loop);
            case VRING_ADDR -> {
                ByteBuffer p = le(40).putInt(in.pick(3)).putInt(0);
                for (int i = 0; i < 3; i++) p.putLong(userAddr(in));
                p.putLong(0);
                send(fe, SET_VRING_ADDR, flags, p.array(), new int[0], loop);
            }
            case VRING_STATE -> {
                int request = switch (in.pick(3)) { case 0 -> SET_VRING_BASE; case 1 -> GET_VRING_BASE; default -> SET_VRING_ENABLE; };
                send(fe, request, flags, le(8).putInt(in.pick(3)).putInt(in.u16()).array(), new int[0], loop);
            }
            case VRING_FD -> {
                int request = SET_VRING_KICK + in.pick(3); // KICK, CALL, ERR
                long v = in.pick(3) | (in.pick(4) == 0 ? 0x100 : 0);
                int[] fds = (v & 0x100) != 0 && in.bool() ? new int[0] : new int[] {eventFd(ours)};
                send(fe, request, flags, le(8).putLong(v).array(), fds, loop);
            }
            case KICK -> {
                if (!ours.isEmpty()) EventFd.signal(ours.get(in.pick(ours.size())).get(), 1);
            }
            case WRITE_RAM -> {
                int at = in.u16();
                byte[] b = in.lengthPrefixed(512);
                MemorySegment.copy(MemorySegment.ofArray(b), 0, ram.memory(), at, Math.min(b.length, RAM - at));
            }
            case CONFIG -> {
                int size = in.pick(3) == 0 ? in.u16() % 300 : in.pick(17);
                ByteBuffer p = le(12 + size).putInt(in.pick(20)).putInt(in.pick(4) == 0 ? in.u16() : size).putInt(0);
                p.put(in.bytes(size));
                send(fe, in.bool() ? GET_CONFIG : SET_CONFIG, flags, p.array(), new int[0], loop);
            }
            case U64 -> {
                int[] requests = {GET_FEATURES, SET_FEATURES, SET_OWNER, RESET_OWNER, GET_PROTOCOL_FEATURES, SET_PROTOCOL_FEATURES,
                        GET_QUEUE_NUM, GET_MAX_MEM_SLOTS, RESET_DEVICE, SET_STATUS, GET_STATUS, SET_LOG_BASE, SET_BACKEND_REQ_FD, GPU_SET_SOCKET};
                int request = requests[in.pick(requests.length)];
                send(fe, request, flags, le(8).putLong(in.u64()).array(), new int[0], loop);
            }
        }
    }

    private static int pickNum(FuzzBytes in) {
        int[] sizes = {16, 4, 1024, 0, 3, 2048, 1};
        int k = in.pick(sizes.length + 1);
        return k < sizes.length ? sizes[k] : (int) in.u32();
    }

    /** A region: mostly the 64 KiB of RAM or a half of it, sometimes longer than the memfd or arbitrary. */
    private static void region(FuzzBytes in, ByteBuffer p) {
        long base = ram.memory().address();
        switch (in.pick(5)) {
            case 0 -> p.putLong(0).putLong(RAM).putLong(base).putLong(0);
            case 1 -> p.putLong(0).putLong(RAM / 2).putLong(base).putLong(0);
            case 2 -> p.putLong(RAM / 2).putLong(RAM / 2).putLong(base + RAM / 2).putLong(RAM / 2);
            case 3 -> p.putLong(0).putLong(RAM * 2).putLong(base).putLong(0); // fd shorter than the region
            default -> p.putLong(in.u64()).putLong(in.u64()).putLong(in.u64()).putLong(in.u64());
        }
    }

    /** A front-end virtual address: mostly inside the RAM (where rings can live), else arbitrary. */
    private static long userAddr(FuzzBytes in) {
        return in.pick(4) == 0 ? in.u64() : ram.memory().address() + in.u16() * 16L % RAM;
    }

    private static int[] fds(FuzzBytes in, List<Fd> ours) throws ErrnoException {
        int n = in.pick(4);
        int[] fds = new int[n];
        for (int i = 0; i < n; i++) fds[i] = in.bool() ? ram.fd().get() : eventFd(ours);
        return fds;
    }

    private static int[] ramFds(int n) {
        int[] fds = new int[n];
        java.util.Arrays.fill(fds, ram.fd().get());
        return fds;
    }

    private static int eventFd(List<Fd> ours) throws ErrnoException {
        Fd e = EventFd.create(true);
        ours.add(e);
        return e.get();
    }

    private static ByteBuffer le(int n) { return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN); }

    private static void send(Fd fe, int request, int flags, byte[] payload, int[] fds, EventLoop loop) throws Exception {
        send(fe, request, flags, payload.length, payload, fds, loop);
    }

    private static void send(Fd fe, int request, int flags, int announced, byte[] payload, int[] fds, EventLoop loop) throws Exception {
        byte[] msg = le(12 + payload.length).putInt(request).putInt(flags).putInt(announced).put(payload).array();
        MemorySegment m = MemorySegment.ofArray(msg);
        long sent = 0;
        for (int tries = 0; sent < msg.length && tries < 100; tries++) {
            long n;
            try {
                n = UnixSockets.send(fe, new MemorySegment[] {m.asSlice(sent)}, sent == 0 ? fds : new int[0]);
            } catch (ErrnoException e) {
                return; // the back-end dropped the connection
            }
            if (n == Libc.AGAIN) { turn(loop); drain(fe); continue; }
            sent += n;
        }
    }

    /** One turn of the loop: whatever is ready, then the tasks it queued. */
    private static void turn(EventLoop loop) throws ErrnoException {
        loop.runOnce();
    }

    /** Reads and drops what the back-end replied (and any fds). */
    private static void drain(Fd fe) {
        if (!fe.isOpen()) return;
        try {
            while (true) {
                UnixSockets.Received r = UnixSockets.receive(fe, recv, recv.byteSize());
                r.closeFds();
                if (r.bytes() == Libc.AGAIN || r.bytes() == 0) return;
            }
        } catch (ErrnoException e) {
            // the back-end closed its end
        }
    }

    static int openFds() {
        String[] l = new File("/proc/self/fd").list();
        return l == null ? -1 : l.length;
    }

    static long ramMappings() throws Exception {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.filter(l -> l.contains("memfd:guest-ram")).count();
        }
    }
}
