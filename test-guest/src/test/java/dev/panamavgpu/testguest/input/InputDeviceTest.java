package dev.panamavgpu.testguest.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamavgpu.input.Evdev;
import dev.panamavgpu.input.InputConfigSpace;
import dev.panamavgpu.input.InputEvent;
import dev.panamavgpu.input.InputFigures;
import dev.panamavgpu.input.InputService;
import dev.panamavgpu.input.VirtioInputConfig;
import dev.panamavgpu.vhostuser.frontend.DeviceSession;
import dev.panamavgpu.vhostuser.frontend.DriverQueue;
import dev.panamavgpu.vhostuser.frontend.FrontendConnection;
import dev.panamavgpu.vhostuser.message.Request;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The input device through the vhost-user front-end, as QEMU's vhost-user-input-pci and the guest's
 * virtio_input driver use it: config space by GET_CONFIG/SET_CONFIG, eventq buffers of 8 bytes (4 of
 * them, QEMU's queue size), statusq LED writes.
 */
class InputDeviceTest {
    private static final int QUEUE_SIZE = 4;
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private InputService input;
    private DeviceSession session;
    private final Map<Integer, Long> bufferOf = new HashMap<>();

    @BeforeEach
    void connect() throws Exception {
        String path = "/tmp/pvgpu-in-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".sock";
        input = InputService.listen(path, 0600).start();
        session = DeviceSession.open(FrontendConnection.connect(path), DeviceSession.Options.of(QUEUE_SIZE, QUEUE_SIZE));
    }

    @AfterEach
    void close() {
        if (session != null) session.close();
        if (input != null) input.close();
    }

    /** What the driver reads after selecting: {size, u[size]}. */
    private byte[] query(int select, int subsel) throws Exception {
        byte[] cfg = new byte[VirtioInputConfig.SIZE];
        cfg[VirtioInputConfig.SELECT] = (byte) select;
        cfg[VirtioInputConfig.SUBSEL] = (byte) subsel;
        assertEquals(0, session.connection().setConfig(0, cfg)); // as QEMU does: all 136 bytes, offset 0
        byte[] got = session.connection().getConfig(0, VirtioInputConfig.SIZE);
        assertEquals(VirtioInputConfig.SIZE, got.length);
        assertEquals((byte) select, got[VirtioInputConfig.SELECT]);
        int size = Byte.toUnsignedInt(got[VirtioInputConfig.SIZE_FIELD]);
        byte[] u = new byte[size];
        System.arraycopy(got, VirtioInputConfig.U, u, 0, size);
        return u;
    }

    private static boolean bit(byte[] bitmap, int n) {
        return n / 8 < bitmap.length && (bitmap[n / 8] & (1 << (n % 8))) != 0;
    }

    @Test
    void configSpaceAnswersWhatTheLinuxDriverAsks() throws Exception {
        assertEquals(InputConfigSpace.NAME, new String(query(VirtioInputConfig.CFG_ID_NAME, 0), StandardCharsets.US_ASCII));
        assertEquals(InputConfigSpace.SERIAL, new String(query(VirtioInputConfig.CFG_ID_SERIAL, 0), StandardCharsets.US_ASCII));
        byte[] ids = query(VirtioInputConfig.CFG_ID_DEVIDS, 0);
        assertEquals(8, ids.length);
        assertEquals(0x06, ids[0]); // BUS_VIRTUAL
        byte[] keys = query(VirtioInputConfig.CFG_EV_BITS, Evdev.EV_KEY);
        for (int code : new int[] {Evdev.KEY_ESC, Evdev.KEY_A, Evdev.KEY_ENTER, Evdev.KEY_F12, Evdev.KEY_UP, 125, Evdev.BTN_LEFT,
                Evdev.BTN_RIGHT, Evdev.BTN_MIDDLE})
            assertTrue(bit(keys, code), "EV_KEY bit " + code);
        assertTrue(!bit(keys, 0) && !bit(keys, 0x113), "no KEY_RESERVED, no BTN_SIDE");
        byte[] rel = query(VirtioInputConfig.CFG_EV_BITS, Evdev.EV_REL);
        assertTrue(bit(rel, Evdev.REL_WHEEL) && bit(rel, Evdev.REL_HWHEEL) && !bit(rel, 0) && !bit(rel, 1), "wheels only, no REL_X/Y");
        byte[] abs = query(VirtioInputConfig.CFG_EV_BITS, Evdev.EV_ABS);
        assertTrue(bit(abs, Evdev.ABS_X) && bit(abs, Evdev.ABS_Y) && !bit(abs, 2));
        assertEquals(0, query(VirtioInputConfig.CFG_EV_BITS, 0x14).length, "no EV_REP: the viewer repeats");
        assertEquals(0, query(VirtioInputConfig.CFG_EV_BITS, Evdev.EV_LED).length);
        for (int axis : new int[] {Evdev.ABS_X, Evdev.ABS_Y}) {
            MemorySegment info = MemorySegment.ofArray(query(VirtioInputConfig.CFG_ABS_INFO, axis));
            assertEquals(20, info.byteSize());
            assertEquals(0, info.get(LE32, VirtioInputConfig.ABS_MIN));
            assertEquals(32767, info.get(LE32, VirtioInputConfig.ABS_MAX));
        }
        assertEquals(0, query(VirtioInputConfig.CFG_ABS_INFO, 2).length);
        assertEquals(0, query(VirtioInputConfig.CFG_PROP_BITS, 0).length);
        for (int sel : new int[] {0, 0x04, 0x13, 0x7f, 0xff}) assertEquals(0, query(sel, 0xff).length, "select " + sel);
        // ranges beyond the 136 bytes are refused
        assertNotEquals(0, session.connection().setConfig(130, new byte[10]));
        assertEquals(0, session.connection().getConfig(132, 8).length);
    }

    /** Posts {@code n} empty 8-byte eventq buffers. */
    private void postEventBuffers(int n) throws Exception {
        DriverQueue q = session.queue(0);
        int old = q.availIndex();
        for (int i = 0; i < n; i++) {
            long gpa = session.ram().alloc(8, 8);
            session.ram().at(gpa, 8).fill((byte) 0x5a);
            int head = q.add(List.of(), List.of(new DriverQueue.Buffer(gpa, 8)));
            bufferOf.put(head, gpa);
            q.push(head);
        }
        session.submit(0, old);
    }

    /** Collects {@code count} events from used eventq buffers, re-posting each buffer as the driver does. */
    private List<InputEvent> events(int count) throws Exception {
        List<InputEvent> out = new ArrayList<>();
        while (out.size() < count) {
            for (DriverQueue.Used u : session.awaitUsed(0, 5000)) {
                assertEquals(8, u.length());
                out.add(InputEvent.read(session.ram().at(bufferOf.remove(u.head()), 8), 0));
                postEventBuffers(1);
            }
        }
        return out;
    }

    private static InputEvent ev(int type, int code, int value) { return new InputEvent(type, code, value); }

    @Test
    void keysAndPointerArriveAsEvdevReportsInOrder() throws Exception {
        postEventBuffers(QUEUE_SIZE);
        input.key(0xffe1, 0, true);      // Shift_L
        input.key('!', 0, true);         // keysym: KEY_1
        input.key('!', 0, false);
        input.key(0xffe1, 0, false);
        input.key(0, 0xc8, true);        // QEMU key number: Up
        input.key(0, 0xc8, true);        // held: autorepeat
        input.key(0, 0xc8, false);
        input.pointer(0, 100, 50, 201, 101);
        input.pointer(1, 100, 50, 201, 101);
        input.pointer(0x08, 200, 100, 201, 101);
        List<InputEvent> got = events(24);
        InputEvent syn = InputEvent.SYN;
        assertEquals(List.of(
                ev(1, 42, 1), syn, ev(1, 2, 1), syn, ev(1, 2, 0), syn, ev(1, 42, 0), syn,
                ev(1, 103, 1), syn, ev(1, 103, 2), syn, ev(1, 103, 0), syn,
                ev(3, 0, 16384), ev(3, 1, 16384), syn,
                ev(1, Evdev.BTN_LEFT, 1), syn,
                ev(3, 0, 32767), ev(3, 1, 32767), ev(1, Evdev.BTN_LEFT, 0), ev(2, Evdev.REL_WHEEL, 1), syn), got);
        InputFigures f = input.figures();
        assertEquals(0, f.reportsDropped());
        assertEquals(24, f.eventsDelivered(), f.oneLine());
    }

    @Test
    void withoutBuffersReportsWaitBoundedByCountAndMotionCoalesces() throws Exception {
        int extra = 40;
        for (int i = 0; i < InputService.PENDING_REPORTS + extra; i++) input.key('a', 0, i % 2 == 0); // a down/up ...
        for (int i = 0; i < 100; i++) input.pointer(0, i, i, 1000, 1000); // one waiting motion report
        waitFor(() -> input.figures().reportsPending() == InputService.PENDING_REPORTS, "pending at the bound");
        InputFigures f = input.figures();
        assertEquals(extra + 1, f.reportsDropped(), f.oneLine());
        assertEquals(99, f.motionCoalesced(), f.oneLine());
        postEventBuffers(QUEUE_SIZE);
        // the oldest survivor is report number extra+1 (a release, as i = 41 is odd), the last one the newest position
        List<InputEvent> got = events(2 * (InputService.PENDING_REPORTS - 1) + 3);
        assertEquals(ev(1, Evdev.KEY_A, 0), got.get(0));
        assertEquals(List.of(ev(3, 0, 3247), ev(3, 1, 3247), InputEvent.SYN), got.subList(got.size() - 3, got.size()));
    }

    @Test
    void viewersOnSeveralThreadsGetWholeReportsInEachThreadsOrder() throws Exception {
        postEventBuffers(QUEUE_SIZE);
        int threads = 4, perThread = 300;
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int keysym = 'a' + t; // a, b, c, d: four different keys
            ts.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) input.key(keysym, 0, i % 2 == 0);
            }));
        }
        for (Thread t : ts) t.join();
        long dropped = input.figures().reportsDropped();
        List<InputEvent> got = events((int) (2 * (threads * perThread - dropped)));
        Map<Integer, Integer> lastValue = new HashMap<>();
        for (int i = 0; i < got.size(); i += 2) {
            InputEvent k = got.get(i);
            assertEquals(Evdev.EV_KEY, k.type(), "event " + i);
            assertEquals(InputEvent.SYN, got.get(i + 1), "event " + (i + 1));
            lastValue.put(k.code(), k.value());
        }
        assertEquals(threads, lastValue.size());
        for (int v : lastValue.values()) assertEquals(0, v, "each key ends released"); // the last report of each thread is kept
    }

    @Test
    void ringsLargerThanTheDeviceTakesAreRefused() throws Exception {
        String path = "/tmp/pvgpu-in-big-" + ProcessHandle.current().pid() + ".sock";
        try (InputService other = InputService.listen(path, 0600).start();
             FrontendConnection c = FrontendConnection.connect(path)) {
            MemorySegment state = MemorySegment.ofArray(new int[] {0, 512}); // vring 0, 512 entries
            assertNotEquals(0, c.requestAck(Request.SET_VRING_NUM, state));
            assertEquals(0, c.requestAck(Request.SET_VRING_NUM, MemorySegment.ofArray(new int[] {0, 256})));
        }
    }

    @Test
    void statusQueueLedWritesAreConsumed() throws Exception {
        DriverQueue q = session.queue(1);
        int old = q.availIndex();
        for (int i = 0; i < 3; i++) {
            long gpa = session.ram().alloc(8, 8);
            new InputEvent(Evdev.EV_LED, 0, 1).write(session.ram().at(gpa, 8), 0); // LED_NUML on
            int head = q.add(List.of(new DriverQueue.Buffer(gpa, 8)), List.of());
            q.push(head);
        }
        session.submit(1, old);
        int n = 0;
        while (n < 3) for (DriverQueue.Used u : session.awaitUsed(1, 5000)) { assertEquals(0, u.length()); n++; }
        assertEquals(3, input.figures().statusBuffers());
    }

    @Test
    void heldBuffersGoBackAsEmptyReportsWhenTheRingStops() throws Exception {
        postEventBuffers(QUEUE_SIZE);
        waitFor(() -> session.queue(0).pendingUsed() == 0 && input.hasActiveConnection(), "connected");
        Thread.sleep(100); // let the device take the buffers
        session.stopRings();
        List<DriverQueue.Used> used = session.queue(0).collect();
        assertEquals(QUEUE_SIZE, used.size());
        for (DriverQueue.Used u : used) {
            assertEquals(8, u.length());
            assertEquals(InputEvent.SYN, InputEvent.read(session.ram().at(bufferOf.get(u.head()), 8), 0));
        }
        assertEquals(QUEUE_SIZE, input.figures().returnedAtStop());
    }

    private static void waitFor(BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            Thread.sleep(10);
        }
    }
}
