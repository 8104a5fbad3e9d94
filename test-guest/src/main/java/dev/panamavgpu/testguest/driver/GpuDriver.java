package dev.panamavgpu.testguest.driver;

import dev.panamavgpu.vhostuser.frontend.DeviceSession;
import dev.panamavgpu.vhostuser.frontend.DriverQueue;
import dev.panamavgpu.vhostuser.frontend.GuestRam;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.SocketTimeoutException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The guest's virtio-gpu driver, reduced to what a test needs: it builds each command in guest RAM, puts it on
 * the control queue (0) or the cursor queue (1) with a device-writable response buffer pre-filled with
 * {@link #FILL}, kicks, and waits for the used entry. Commands can be pipelined ({@link #submit} / {@link #await})
 * and completions may come back in any order.
 *
 * <p>The chain layout follows the Linux driver: the request in one device-readable descriptor (ATTACH_BACKING:
 * head and entries in two), then one device-writable descriptor for the response. Views made with
 * {@link #with(Hdr)}, {@link #withResponseLength(int)} etc. share all state; they only change how the next
 * commands are built. Not thread-safe: one test thread drives it.
 */
public final class GpuDriver {
    public static final int CONTROL_QUEUE = 0, CURSOR_QUEUE = 1;
    /** What response buffers hold before the device writes. */
    public static final byte FILL = (byte) 0xAA;
    /** Default response buffer: larger than every response, so over-long writes and garbage would show. */
    public static final int DEFAULT_RESPONSE_LENGTH = 2048;
    public static final int DEFAULT_TIMEOUT_MILLIS = 5000;
    private static final int SLOT_BYTES = 4096;
    private static final int LARGE_BYTES = 1 << 20;

    /** A submitted command. */
    public static final class Ticket {
        final int queue;
        final int head;
        final Slot slot;
        final boolean large;
        final int responseLength;
        final long submittedAt;
        Response response;

        Ticket(int queue, int head, Slot slot, boolean large, int responseLength) {
            this.queue = queue;
            this.head = head;
            this.slot = slot;
            this.large = large;
            this.responseLength = responseLength;
            this.submittedAt = System.nanoTime();
        }

        public boolean isDone() { return response != null; }
        public Response response() { return response; }
        public int queue() { return queue; }
    }

    record Slot(long request, long response) {}

    /** Resource as the driver remembers it after a successful CREATE_2D. */
    public record Resource(long id, int format, long width, long height) {
        public long stride() { return width * 4; }
    }

    /** Everything the views share. */
    private static final class Core {
        final DeviceSession session;
        final GuestRam ram;
        final ArrayDeque<Slot> freeSlots = new ArrayDeque<>();
        final List<Map<Integer, Ticket>> inflight = new ArrayList<>();
        final List<String> anomalies = new ArrayList<>();
        final Map<Long, Resource> resources = new HashMap<>();
        long large;
        boolean largeBusy;
        Response last;

        Core(DeviceSession session, int queues) {
            this.session = session;
            this.ram = session.ram();
            for (int i = 0; i < queues; i++) inflight.add(new HashMap<>());
        }

        Slot takeSlot() {
            Slot s = freeSlots.poll();
            if (s != null) return s;
            return new Slot(ram.alloc(SLOT_BYTES, 64), ram.alloc(SLOT_BYTES, 64));
        }
    }

    private final Core core;
    private final Hdr hdr;
    private final int responseLength;
    private final boolean indirect;
    private final int timeoutMillis;

    /** A driver on queues 0 (control) and 1 (cursor) of {@code session}. */
    public GpuDriver(DeviceSession session) {
        this(new Core(session, 2), Hdr.NONE, DEFAULT_RESPONSE_LENGTH, false, DEFAULT_TIMEOUT_MILLIS);
    }

    private GpuDriver(Core core, Hdr hdr, int responseLength, boolean indirect, int timeoutMillis) {
        this.core = core;
        this.hdr = hdr;
        this.responseLength = responseLength;
        this.indirect = indirect;
        this.timeoutMillis = timeoutMillis;
    }

    /** A view whose commands carry {@code h} (flags, fence_id, ctx_id, ring_idx). */
    public GpuDriver with(Hdr h) { return new GpuDriver(core, h, responseLength, indirect, timeoutMillis); }

    /** A view whose commands get a response buffer of {@code n} bytes (0: none at all). */
    public GpuDriver withResponseLength(int n) {
        if (n < 0 || n > SLOT_BYTES) throw new IllegalArgumentException("response length " + n);
        return new GpuDriver(core, hdr, n, indirect, timeoutMillis);
    }

    /** A view whose commands have no device-writable descriptor. */
    public GpuDriver withoutResponse() { return withResponseLength(0); }

    /** A view that places each chain in an indirect descriptor table. */
    public GpuDriver indirect(boolean on) { return new GpuDriver(core, hdr, responseLength, on, timeoutMillis); }

    /** A view that waits at most {@code ms} for each completion. */
    public GpuDriver withTimeout(int ms) { return new GpuDriver(core, hdr, responseLength, indirect, ms); }

    public Hdr header() { return hdr; }
    public DeviceSession session() { return core.session; }
    public GuestRam ram() { return core.ram; }

    /** Things the device did that no correct device does (unknown heads, used length beyond the buffer). */
    public List<String> anomalies() { return List.copyOf(core.anomalies); }

    /** Resources this driver created and has not unreferenced (as far as the device's answers said). */
    public Map<Long, Resource> resources() { return Map.copyOf(core.resources); }

    /** The response that completed last (null before the first): what a report shows as observed. */
    public Response lastResponse() { return core.last; }

    /** Forgets what the driver knows of resources (after a device reset). */
    public void forgetResources() { core.resources.clear(); }

    // ---------------------------------------------------------------------------------------------------------
    // submission

    /**
     * Puts one command on {@code queue}: each element of {@code parts} becomes one device-readable descriptor
     * (an empty array of parts gives a chain with only the response buffer), followed by the response buffer
     * of this view. Returns at once.
     */
    public Ticket submit(int queue, byte[]... parts) throws IOException {
        long total = 0;
        for (byte[] p : parts) total += p.length;
        if (total == 0 && responseLength == 0) throw new IllegalArgumentException("a chain needs at least one buffer");
        Slot slot = core.takeSlot();
        boolean large = total > SLOT_BYTES;
        long reqGpa = slot.request();
        if (large) {
            if (core.largeBusy) throw new IllegalStateException("only one large request can be in flight");
            if (total > LARGE_BYTES) throw new IllegalArgumentException("request of " + total + " bytes");
            if (core.large == 0) core.large = core.ram.alloc(LARGE_BYTES, 4096);
            core.largeBusy = true;
            reqGpa = core.large;
        }
        List<DriverQueue.Buffer> readable = new ArrayList<>();
        long at = reqGpa;
        for (byte[] p : parts) {
            if (p.length == 0) continue;
            MemorySegment.copy(MemorySegment.ofArray(p), 0, core.ram.at(at, p.length), 0, p.length);
            readable.add(new DriverQueue.Buffer(at, p.length));
            at += p.length;
        }
        List<DriverQueue.Buffer> writable = new ArrayList<>();
        if (responseLength > 0) {
            core.ram.at(slot.response(), SLOT_BYTES).fill(FILL);
            writable.add(new DriverQueue.Buffer(slot.response(), responseLength));
        }
        DriverQueue q = core.session.queue(queue);
        int old = q.availIndex();
        int head = indirect ? q.addIndirect(readable, writable) : q.add(readable, writable);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (head < 0 && inFlight(queue) > 0 && System.nanoTime() < deadline) {
            poll(queue, 20); // the ring is full: take completions back first, as a driver waits for free descriptors
            head = indirect ? q.addIndirect(readable, writable) : q.add(readable, writable);
        }
        if (head < 0) {
            if (large) core.largeBusy = false;
            core.freeSlots.add(slot);
            throw new IllegalStateException("queue " + queue + " is full");
        }
        Ticket t = new Ticket(queue, head, slot, large, responseLength);
        core.inflight.get(queue).put(head, t);
        q.push(head);
        core.session.submit(queue, old);
        return t;
    }

    /** Waits for {@code t}'s used entry (collecting others that complete meanwhile). */
    public Response await(Ticket t) throws IOException {
        return await(t, timeoutMillis);
    }

    public Response await(Ticket t, int timeoutMs) throws IOException {
        long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
        while (t.response == null) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) throw new SocketTimeoutException("no completion of the command on queue " + t.queue + " within " + timeoutMs + " ms");
            poll(t.queue, (int) left);
        }
        return t.response;
    }

    /** Collects whatever completed on {@code queue} within {@code timeoutMs} (at least one entry, or a timeout). */
    public void poll(int queue, int timeoutMs) throws IOException {
        List<DriverQueue.Used> used;
        try {
            used = core.session.awaitUsed(queue, timeoutMs);
        } catch (SocketTimeoutException e) {
            return;
        }
        long now = System.nanoTime();
        for (DriverQueue.Used u : used) {
            Ticket x = core.inflight.get(queue).remove(u.head());
            if (x == null) {
                core.anomalies.add("used entry for head " + u.head() + " that is not in flight on queue " + queue);
                continue;
            }
            byte[] buf = new byte[x.responseLength];
            if (x.responseLength > 0) {
                MemorySegment.copy(core.ram.at(x.slot.response(), x.responseLength), ValueLayout.JAVA_BYTE, 0, buf, 0, buf.length);
            }
            if (Integer.toUnsignedLong(u.length()) > x.responseLength) {
                core.anomalies.add("used length " + Integer.toUnsignedString(u.length()) + " > response buffer " + x.responseLength);
            }
            x.response = new Response(queue, u.length(), buf, now - x.submittedAt);
            core.last = x.response;
            if (x.large) core.largeBusy = false;
            core.freeSlots.add(x.slot);
        }
    }

    /** Number of commands submitted and not yet completed on {@code queue}. */
    public int inFlight(int queue) { return core.inflight.get(queue).size(); }

    /** Submits and waits. */
    public Response send(int queue, byte[]... parts) throws IOException {
        return await(submit(queue, parts));
    }

    /** Any bytes as a control-queue request (malformed requests). */
    public Response raw(byte[] request) throws IOException {
        return send(CONTROL_QUEUE, request);
    }

    public Response raw(int queue, byte[] request) throws IOException {
        return send(queue, request);
    }

    // ---------------------------------------------------------------------------------------------------------
    // commands

    public Response getDisplayInfo() throws IOException { return raw(Commands.getDisplayInfo(hdr)); }
    public Ticket submitGetDisplayInfo() throws IOException { return submit(CONTROL_QUEUE, Commands.getDisplayInfo(hdr)); }

    public Response getEdid(long scanoutId) throws IOException { return raw(Commands.getEdid(hdr, scanoutId)); }
    public Ticket submitGetEdid(long scanoutId) throws IOException { return submit(CONTROL_QUEUE, Commands.getEdid(hdr, scanoutId)); }

    public Response createResource(long id, int format, long width, long height) throws IOException {
        Response r = raw(Commands.createResource2d(hdr, id, format, width, height));
        if (r.usedLength() >= 24 && r.type() == Commands.RESP_OK_NODATA) core.resources.put(id, new Resource(id, format, width, height));
        return r;
    }

    public Response unref(long id) throws IOException {
        Response r = raw(Commands.unref(hdr, id));
        if (r.usedLength() >= 24 && r.type() == Commands.RESP_OK_NODATA) core.resources.remove(id);
        return r;
    }

    /** ATTACH_BACKING the Linux way: the 32-byte head and the entries in two readable descriptors. */
    public Response attachBacking(long id, List<Commands.MemEntry> entries) throws IOException {
        byte[] head = Commands.attachHead(hdr, id, entries.size());
        return entries.isEmpty() ? send(CONTROL_QUEUE, head) : send(CONTROL_QUEUE, head, Commands.memEntries(entries));
    }

    public Response attachBacking(long id, Backing b) throws IOException { return attachBacking(id, b.entries()); }

    /** ATTACH_BACKING announcing {@code nrEntries} but carrying {@code entries} (may be fewer or more). */
    public Response attachBackingAnnouncing(long id, long nrEntries, List<Commands.MemEntry> entries) throws IOException {
        byte[] head = Commands.attachHead(hdr, id, nrEntries);
        return entries.isEmpty() ? send(CONTROL_QUEUE, head) : send(CONTROL_QUEUE, head, Commands.memEntries(entries));
    }

    public Response detachBacking(long id) throws IOException { return raw(Commands.detachBacking(hdr, id)); }

    public Response transfer(long id, long x, long y, long w, long h, long offset) throws IOException {
        return raw(Commands.transfer(hdr, id, x, y, w, h, offset));
    }

    /** TRANSFER_TO_HOST_2D with the offset the Linux driver uses: where (x, y) lies in a tightly packed backing. */
    public Response transfer(long id, long x, long y, long w, long h) throws IOException {
        return raw(Commands.transfer(hdr, id, x, y, w, h, linuxOffset(id, x, y)));
    }

    public Ticket submitTransfer(long id, long x, long y, long w, long h) throws IOException {
        return submit(CONTROL_QUEUE, Commands.transfer(hdr, id, x, y, w, h, linuxOffset(id, x, y)));
    }

    private long linuxOffset(long id, long x, long y) {
        Resource r = core.resources.get(id);
        return r == null ? 0 : y * r.stride() + x * 4;
    }

    public Response setScanout(long scanoutId, long id, long x, long y, long w, long h) throws IOException {
        return raw(Commands.setScanout(hdr, scanoutId, id, x, y, w, h));
    }

    public Response flush(long id, long x, long y, long w, long h) throws IOException {
        return raw(Commands.flush(hdr, id, x, y, w, h));
    }

    public Ticket submitFlush(long id, long x, long y, long w, long h) throws IOException {
        return submit(CONTROL_QUEUE, Commands.flush(hdr, id, x, y, w, h));
    }

    public Response assignUuid(long id) throws IOException { return raw(Commands.assignUuid(hdr, id)); }
    public Response getCapsetInfo(long index) throws IOException { return raw(Commands.getCapsetInfo(hdr, index)); }
    public Response getCapset(long id, long version) throws IOException { return raw(Commands.getCapset(hdr, id, version)); }

    /** UPDATE_CURSOR on the cursor queue. */
    public Response updateCursor(long scanoutId, long x, long y, long id, long hotX, long hotY) throws IOException {
        return send(CURSOR_QUEUE, Commands.updateCursor(hdr, scanoutId, x, y, id, hotX, hotY));
    }

    /** MOVE_CURSOR on the cursor queue (resource 0 hides the cursor). */
    public Response moveCursor(long scanoutId, long x, long y, long id) throws IOException {
        return send(CURSOR_QUEUE, Commands.moveCursor(hdr, scanoutId, x, y, id));
    }

    // ---------------------------------------------------------------------------------------------------------
    // guest memory

    /** A zeroed, page-aligned backing of {@code bytes} in one piece. */
    public Backing allocBacking(long bytes) {
        return allocBacking(bytes, 1);
    }

    /**
     * A zeroed backing of {@code bytes} split into {@code pieces} entries that are not adjacent in guest-physical
     * memory (a page gap between them), like a scattered guest allocation.
     */
    public Backing allocBacking(long bytes, int pieces) {
        List<long[]> entries = new ArrayList<>();
        List<MemorySegment> segs = new ArrayList<>();
        long left = bytes;
        for (int i = 0; i < pieces; i++) {
            long n = i == pieces - 1 ? left : Math.max(1, bytes / pieces);
            long gpa = core.ram.alloc(n, 4096);
            MemorySegment s = core.ram.at(gpa, n);
            s.fill((byte) 0);
            entries.add(new long[] {gpa, n});
            segs.add(s);
            left -= n;
            if (i < pieces - 1) core.ram.alloc(4096, 4096); // gap
        }
        return Backing.of(entries, segs);
    }

    /** CREATE_2D + a tightly packed backing + ATTACH_BACKING; throws unless both answer OK_NODATA. */
    public Backing createWithBacking(long id, int format, long width, long height) throws IOException {
        expect(Commands.RESP_OK_NODATA, createResource(id, format, width, height), "CREATE_2D " + id);
        Backing b = allocBacking(width * height * 4);
        expect(Commands.RESP_OK_NODATA, attachBacking(id, b), "ATTACH_BACKING " + id);
        return b;
    }

    /** Throws unless {@code r} is a complete response of {@code type}. */
    public static Response expect(int type, Response r, String what) {
        if (r.usedLength() < 24 || r.type() != type) {
            throw new IllegalStateException(what + ": expected " + Commands.name(type) + ", got " + r);
        }
        return r;
    }
}
