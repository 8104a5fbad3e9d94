package dev.panamavgpu.vhostuser.backend;

import static dev.panamavgpu.vhostuser.message.Request.*;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.panamavgpu.ffm.Epoll;
import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.vhostuser.loop.EventLoop;
import dev.panamavgpu.vhostuser.loop.FaultScope;
import dev.panamavgpu.vhostuser.memory.GuestMemory;
import dev.panamavgpu.vhostuser.memory.GuestMemoryException;
import dev.panamavgpu.vhostuser.memory.GuestMemoryFault;
import dev.panamavgpu.vhostuser.memory.MappedRegion;
import dev.panamavgpu.vhostuser.memory.RegionSpec;
import dev.panamavgpu.vhostuser.message.Features;
import dev.panamavgpu.vhostuser.message.Header;
import dev.panamavgpu.vhostuser.message.Message;
import dev.panamavgpu.vhostuser.message.MessageReader;
import dev.panamavgpu.vhostuser.message.MessageWriter;
import dev.panamavgpu.vhostuser.message.Payloads;
import dev.panamavgpu.vhostuser.message.Request;
import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The back-end side of one front-end connection: the vhost-user state machine. Runs entirely on the
 * loop thread that owns it: messages, kicks and device callbacks never race, so guest memory and
 * ring state need no locks.
 *
 * <p>Two fault scopes: a fault while handling the front-end's messages drops the connection (the
 * protocol state is unknown); a fault in the device (kicks, its timers, display socket, tasks)
 * answers the chains it holds, resets the device and marks it needs-reset, and the connection
 * stays, so a stop/cont, RESET_DEVICE or reboot brings the device back.
 */
public final class BackendConnection implements DeviceContext, Vring.Owner, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BackendConnection.class);
    /** Memory slots offered with CONFIGURE_MEM_SLOTS; each is one mapping. */
    public static final int MAX_MEM_SLOTS = 32;
    private static final long REPLIED = Long.MIN_VALUE;

    private final EventLoop loop;
    private final Fd socket;
    private final VhostUserDevice device;
    private final Runnable onClosed;
    private final MessageReader reader;
    private final MessageWriter writer;
    private final Vring[] rings;
    private final String name;
    private final FaultScope connectionScope;
    private final FaultScope deviceScope;
    private EventLoop.Watch watch;
    private GuestMemory memory = GuestMemory.EMPTY;
    private long memoryGeneration;
    private long ackedFeatures;
    private long ackedProtocolFeatures;
    private int status;
    private boolean closed;
    private Set<Fd> kept;

    public BackendConnection(EventLoop loop, Fd socket, VhostUserDevice device, Runnable onClosed) {
        this(loop, socket, device, onClosed, "front-end connection");
    }

    /** {@code name} says which front-end this is in the log ("front-end connection 3"). */
    public BackendConnection(EventLoop loop, Fd socket, VhostUserDevice device, Runnable onClosed, String name) {
        this.loop = loop;
        this.name = name;
        this.connectionScope = new ConnectionScope();
        this.deviceScope = new DeviceScope();
        this.socket = socket;
        this.device = device;
        this.onClosed = onClosed;
        this.reader = new MessageReader(socket, Header.MAX_PAYLOAD);
        this.writer = new MessageWriter(socket, Header.MAX_PAYLOAD);
        this.rings = new Vring[device.queueCount()];
        for (int i = 0; i < rings.length; i++) rings[i] = new Vring(i, device.maxQueueSize(i), loop, this);
    }

    /** Starts serving; must run on the loop thread. */
    public void start() throws ErrnoException {
        watch = loop.watch(socket.get(), Epoll.EPOLLIN | Epoll.EPOLLRDHUP, connectionScope, this::onReadable);
        loop.within(deviceScope, () -> device.attach(this));
    }

    private void onReadable(int events) {
        try {
            Message m;
            while (!closed && (m = reader.read()) != null) handle(m);
        } catch (EOFException e) {
            log.info("front-end disconnected{}", reader.midMessage() ? " mid-message" : "");
            close();
        } catch (IOException e) {
            log.warn("front-end connection dropped: {}", e.getMessage());
            close();
        }
    }

    private void handle(Message m) throws IOException {
        kept = Collections.newSetFromMap(new IdentityHashMap<>());
        long result;
        try {
            result = dispatch(m);
        } catch (ProtocolError e) {
            log.warn("{} refused: {}", Request.name(m.request()), e.getMessage());
            result = 1;
        } finally {
            for (Fd fd : m.fds()) if (!kept.contains(fd)) fd.close();
        }
        if (result != REPLIED && m.needsReply()) writer.replyU64(m.request(), result);
    }

    private long dispatch(Message m) throws ProtocolError, IOException {
        MemorySegment p = m.payload();
        return switch (m.request()) {
            case GET_FEATURES -> replyU64(m, Features.TRANSPORT | device.deviceFeatures());
            case SET_FEATURES -> setFeatures(u64(m));
            case SET_OWNER, RESET_OWNER -> 0;
            case GET_PROTOCOL_FEATURES -> replyU64(m, Features.PROTOCOL_OFFERED);
            case SET_PROTOCOL_FEATURES -> { ackedProtocolFeatures = u64(m) & Features.PROTOCOL_OFFERED; yield 0; }
            case GET_QUEUE_NUM -> replyU64(m, rings.length);
            case GET_MAX_MEM_SLOTS -> replyU64(m, MAX_MEM_SLOTS);
            case SET_MEM_TABLE -> setMemTable(m);
            case ADD_MEM_REG -> addMemReg(m);
            case REM_MEM_REG -> remMemReg(m);
            case SET_VRING_NUM -> { ring(stateIndex(m)).setNum(p.get(JAVA_INT_UNALIGNED, Payloads.STATE_NUM)); yield 0; }
            case SET_VRING_ADDR -> setVringAddr(m);
            case SET_VRING_BASE -> { ring(stateIndex(m)).setBase(p.get(JAVA_INT_UNALIGNED, Payloads.STATE_NUM)); yield 0; }
            case GET_VRING_BASE -> getVringBase(m);
            case SET_VRING_KICK, SET_VRING_CALL, SET_VRING_ERR -> setVringFd(m);
            case SET_VRING_ENABLE -> { ring(stateIndex(m)).setEnabled(p.get(JAVA_INT_UNALIGNED, Payloads.STATE_NUM) != 0); yield 0; }
            case GET_CONFIG -> getConfig(m);
            case SET_CONFIG -> setConfig(m);
            case RESET_DEVICE -> resetDevice();
            case SET_STATUS -> { status = (int) (u64(m) & 0xff); yield 0; }
            case GET_STATUS -> replyU64(m, status);
            case SET_BACKEND_REQ_FD -> throw new ProtocolError("BACKEND_REQ is not offered");
            case SET_LOG_BASE, SET_LOG_FD -> throw new ProtocolError("dirty logging is not offered (migration is blocked)");
            default -> deviceMessage(m);
        };
    }

    private long deviceMessage(Message m) {
        kept.addAll(m.fds()); // the device owns them now
        long[] result = {1};
        // what the device sets up here (its display socket, say) is the device's, for the fault policy
        loop.within(deviceScope, () -> result[0] = device.deviceMessage(m.request(), m.payload(), m.fds()));
        return result[0];
    }

    private long replyU64(Message m, long value) throws IOException {
        writer.replyU64(m.request(), value);
        return REPLIED;
    }

    private long setFeatures(long features) {
        ackedFeatures = features; // unknown bits (e.g. RING_RESET) are tolerated, not refused
        boolean eventIdx = (features & Features.VIRTIO_RING_F_EVENT_IDX) != 0;
        for (Vring r : rings) {
            r.setEventIdx(eventIdx);
            // Without PROTOCOL_FEATURES there is no SET_VRING_ENABLE: rings are enabled at once.
            if ((features & Features.VHOST_USER_F_PROTOCOL_FEATURES) == 0) r.setEnabled(true);
        }
        device.featuresAcked(features);
        return 0;
    }

    private long setMemTable(Message m) throws ProtocolError {
        MemorySegment p = m.payload();
        if (p.byteSize() < Payloads.MEM_TABLE_HEADER) throw new ProtocolError("SET_MEM_TABLE payload of " + p.byteSize() + " bytes");
        long n = Integer.toUnsignedLong(p.get(JAVA_INT_UNALIGNED, 0));
        if (n > Payloads.MEM_TABLE_MAX_REGIONS) throw new ProtocolError(n + " regions (max " + Payloads.MEM_TABLE_MAX_REGIONS + ")");
        if (p.byteSize() != Payloads.MEM_TABLE_HEADER + n * Payloads.MEMORY_REGION.byteSize()) throw new ProtocolError("payload size does not match " + n + " regions");
        if (m.fds().size() != n) throw new ProtocolError(n + " regions but " + m.fds().size() + " fds");
        List<MappedRegion> mapped = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                RegionSpec spec = region(p, Payloads.MEM_TABLE_HEADER + i * Payloads.MEMORY_REGION.byteSize());
                mapped.add(MappedRegion.map(spec, m.fds().get(i)));
            }
            installMemory(GuestMemory.of(mapped, ++memoryGeneration), memory.regions());
            return 0;
        } catch (GuestMemoryException e) {
            mapped.forEach(MappedRegion::close);
            throw new ProtocolError(e.getMessage());
        }
    }

    private long addMemReg(Message m) throws ProtocolError {
        if (m.payload().byteSize() != Payloads.MEM_REG_MSG_SIZE) throw new ProtocolError("ADD_MEM_REG payload of " + m.payload().byteSize() + " bytes");
        if (m.fds().size() != 1) throw new ProtocolError("ADD_MEM_REG with " + m.fds().size() + " fds");
        if (memory.regionCount() >= MAX_MEM_SLOTS) throw new ProtocolError("all " + MAX_MEM_SLOTS + " memory slots in use");
        MappedRegion r = null;
        try {
            r = MappedRegion.map(region(m.payload(), Payloads.MEM_REG_REGION), m.fds().get(0));
            installMemory(memory.with(r), List.of());
            return 0;
        } catch (GuestMemoryException e) {
            if (r != null) r.close();
            throw new ProtocolError(e.getMessage());
        }
    }

    private long remMemReg(Message m) throws ProtocolError {
        if (m.payload().byteSize() != Payloads.MEM_REG_MSG_SIZE) throw new ProtocolError("REM_MEM_REG payload of " + m.payload().byteSize() + " bytes");
        RegionSpec spec = region(m.payload(), Payloads.MEM_REG_REGION);
        List<MappedRegion> removed = new ArrayList<>();
        GuestMemory next = memory.without(spec, removed);
        if (next == null) throw new ProtocolError("no region " + spec);
        installMemory(next, removed);
        return 0;
    }

    /** Switches every user to the new table first, then unmaps what the old one had alone. */
    private void installMemory(GuestMemory next, List<MappedRegion> retired) {
        memory = next;
        for (Vring r : rings) r.useMemory(next);
        device.memoryChanged(next);
        List<MappedRegion> unused = retired.stream().filter(old -> !next.regions().contains(old)).toList();
        if (!unused.isEmpty()) device.retire(() -> unused.forEach(MappedRegion::close));
        log.debug("memory table generation {}: {} regions, {} bytes", next.generation(), next.regionCount(), next.mappedBytes());
    }

    private static RegionSpec region(MemorySegment p, long at) {
        return new RegionSpec(p.get(JAVA_LONG_UNALIGNED, at + Payloads.REGION_GPA), p.get(JAVA_LONG_UNALIGNED, at + Payloads.REGION_SIZE),
                p.get(JAVA_LONG_UNALIGNED, at + Payloads.REGION_UADDR), p.get(JAVA_LONG_UNALIGNED, at + Payloads.REGION_MMAP_OFFSET));
    }

    private long setVringAddr(Message m) throws ProtocolError {
        MemorySegment p = m.payload();
        if (p.byteSize() != Payloads.VRING_ADDR.byteSize()) throw new ProtocolError("SET_VRING_ADDR payload of " + p.byteSize() + " bytes");
        ring(p.get(JAVA_INT_UNALIGNED, Payloads.ADDR_INDEX)).setAddresses(p.get(JAVA_LONG_UNALIGNED, Payloads.ADDR_DESC),
                p.get(JAVA_LONG_UNALIGNED, Payloads.ADDR_USED), p.get(JAVA_LONG_UNALIGNED, Payloads.ADDR_AVAIL));
        return 0;
    }

    private long getVringBase(Message m) throws ProtocolError, IOException {
        int index = stateIndex(m);
        Vring r = ring(index);
        if (r.isRunning()) {
            device.stopping(r); // nothing the guest submitted is held across the stop
            r.flush();
        }
        int next = r.stop();
        MemorySegment reply = MemorySegment.ofArray(new int[] {index, next});
        writer.reply(m.request(), reply);
        return REPLIED;
    }

    private long setVringFd(Message m) throws ProtocolError {
        long v = u64(m);
        Vring r = ring((int) (v & Payloads.VRING_INDEX_MASK));
        boolean noFd = (v & Payloads.VRING_NOFD_MASK) != 0;
        Fd fd = null;
        if (!noFd) {
            if (m.fds().size() != 1) throw new ProtocolError(Request.name(m.request()) + " with " + m.fds().size() + " fds");
            fd = m.fds().get(0);
            kept.add(fd);
        }
        switch (m.request()) {
            case SET_VRING_KICK -> {
                if (fd == null) throw new ProtocolError("polling mode (no kick fd) is not supported");
                r.setKick(fd);
            }
            case SET_VRING_CALL -> r.setCall(fd);
            default -> r.setErr(fd);
        }
        return 0;
    }

    private long getConfig(Message m) throws IOException {
        MemorySegment p = m.payload();
        MemorySegment reply = MemorySegment.ofArray(new byte[(int) p.byteSize()]);
        boolean ok = false;
        if (p.byteSize() >= Payloads.CONFIG_HEADER) {
            long offset = Integer.toUnsignedLong(p.get(JAVA_INT_UNALIGNED, Payloads.CONFIG_OFFSET));
            long size = Integer.toUnsignedLong(p.get(JAVA_INT_UNALIGNED, Payloads.CONFIG_SIZE));
            if (size <= Payloads.CONFIG_MAX && offset <= Payloads.CONFIG_MAX && p.byteSize() == Payloads.CONFIG_HEADER + size) {
                MemorySegment.copy(p, 0, reply, 0, Payloads.CONFIG_HEADER);
                ok = device.readConfig((int) offset, reply.asSlice(Payloads.CONFIG_HEADER, size));
            }
        }
        // A malformed request gets an empty reply, which the front-end treats as an error.
        writer.reply(m.request(), ok ? reply : MemorySegment.ofArray(new byte[0]));
        return REPLIED;
    }

    private long setConfig(Message m) throws ProtocolError {
        MemorySegment p = m.payload();
        if (p.byteSize() < Payloads.CONFIG_HEADER) throw new ProtocolError("SET_CONFIG payload of " + p.byteSize() + " bytes");
        long offset = Integer.toUnsignedLong(p.get(JAVA_INT_UNALIGNED, Payloads.CONFIG_OFFSET));
        long size = Integer.toUnsignedLong(p.get(JAVA_INT_UNALIGNED, Payloads.CONFIG_SIZE));
        if (size > Payloads.CONFIG_MAX || offset > Payloads.CONFIG_MAX || p.byteSize() != Payloads.CONFIG_HEADER + size) throw new ProtocolError("SET_CONFIG range");
        return device.writeConfig((int) offset, p.asSlice(Payloads.CONFIG_HEADER, size)) ? 0 : 1;
    }

    private long resetDevice() {
        for (Vring r : rings) r.reset();
        status = 0;
        device.reset();
        log.info("device reset");
        return 0;
    }

    private Vring ring(int index) throws ProtocolError {
        if (index < 0 || index >= rings.length) throw new ProtocolError("vring index " + Integer.toUnsignedString(index) + " (device has " + rings.length + ")");
        return rings[index];
    }

    private static int stateIndex(Message m) throws ProtocolError {
        if (m.payload().byteSize() != Payloads.VRING_STATE.byteSize()) throw new ProtocolError(Request.name(m.request()) + " payload of " + m.payload().byteSize() + " bytes");
        return m.payload().get(JAVA_INT_UNALIGNED, Payloads.STATE_INDEX);
    }

    private static long u64(Message m) throws ProtocolError {
        if (m.payload().byteSize() != Payloads.U64_SIZE) throw new ProtocolError(Request.name(m.request()) + " payload of " + m.payload().byteSize() + " bytes");
        return m.payload().get(JAVA_LONG_UNALIGNED, 0);
    }

    // --- Vring.Owner and DeviceContext ---

    @Override public void process(Vring ring) { ring.drive(device); }

    @Override
    public void broken(Vring ring, String reason) {
        log.warn("vring {} broken, device needs reset: {}", ring.index(), reason);
        status |= 0x40; // VIRTIO_CONFIG_S_NEEDS_RESET, visible through GET_STATUS
    }

    @Override public FaultScope deviceScope() { return deviceScope; }
    @Override public EventLoop loop() { return loop; }
    @Override public Virtqueue queue(int index) { return rings[index]; }
    @Override public GuestMemory memory() { return memory; }
    @Override public long ackedFeatures() { return ackedFeatures; }
    public long ackedProtocolFeatures() { return ackedProtocolFeatures; }

    @Override
    public void needsReset(String reason) {
        for (Vring r : rings) r.markBroken(reason);
    }

    public boolean isClosed() { return closed; }

    /**
     * Reads what the front-end has already sent, its close included, and says whether it is still
     * there. A front-end that reconnects at once makes the new connection and the old one's EOF
     * arrive together; this keeps the new one from being refused as a second front-end.
     */
    public boolean stillConnected() {
        if (!closed) onReadable(0);
        return !closed;
    }

    /** A fault in message handling: the connection goes, the next front-end is served. */
    private final class ConnectionScope implements FaultScope {
        @Override public String describe() { return name; }

        @Override
        public void contain(String where, Throwable fault) {
            log.error("{}: {} failed; dropping the connection", name, where, fault);
            close();
        }
    }

    /**
     * A fault in the device. A guest-memory fault (the front-end shrank or unmapped memory in use)
     * marks the device needs-reset; any other fault is a bug whose device state is suspect, so held
     * chains are answered, the device is reset, and it needs a reset from the driver too.
     */
    private final class DeviceScope implements FaultScope {
        @Override public String describe() { return name + " device"; }

        @Override
        public void contain(String where, Throwable fault) {
            if (closed) return;
            GuestMemoryFault memoryFault = GuestMemoryFault.recognise(fault);
            if (memoryFault != null) {
                log.warn("{}: {} touched faulty guest memory ({}); the device needs a reset", name, where, memoryFault.getMessage());
                needsReset(memoryFault.getMessage());
                return;
            }
            log.error("{}: {} failed; answering held requests, resetting the device", name, where, fault);
            try {
                for (Vring r : rings) {
                    if (!r.isRunning()) continue;
                    device.stopping(r);
                    r.flush();
                }
                device.reset();
                needsReset("device fault in " + where + ": " + fault);
            } catch (Throwable again) {
                log.error("{}: resetting the device failed too; dropping the connection", name, again);
                close();
            }
        }
    }

    /** Releases everything of this connection: device state, rings, fds, mappings. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (watch != null) watch.cancel();
        try {
            device.detach();
        } catch (RuntimeException e) {
            log.error("device detach failed", e);
        }
        for (Vring r : rings) r.close();
        List<MappedRegion> regions = memory.regions();
        memory = GuestMemory.EMPTY;
        if (!regions.isEmpty()) {
            try {
                device.retire(() -> regions.forEach(MappedRegion::close));
            } catch (RuntimeException e) {
                log.error("device retire failed; unmapping now", e);
                regions.forEach(MappedRegion::close);
            }
        }
        reader.close();
        writer.close();
        socket.close();
        onClosed.run();
    }
}
