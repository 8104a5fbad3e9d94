package dev.panamavgpu.vhostuser.fuzz;

import static dev.panamavgpu.vhostuser.virtqueue.Ring.F_NEXT;
import static dev.panamavgpu.vhostuser.virtqueue.Ring.F_WRITE;

import dev.panamavgpu.vhostuser.fuzz.BackendConnectionFuzzTest.Op;
import dev.panamavgpu.vhostuser.fuzz.DescriptorChainSeeds.Desc;
import dev.panamavgpu.vhostuser.message.Features;
import java.util.LinkedHashMap;
import java.util.Map;

/** Seed inputs for {@link BackendConnectionFuzzTest}: QEMU's start-up sequence and the known-bad messages. */
final class BackendConnectionSeeds {
    private BackendConnectionSeeds() {}

    // indices into BackendConnectionFuzzTest's U64 request list
    static final int GET_FEATURES = 0, SET_FEATURES = 1, SET_OWNER = 2, GET_PROTOCOL_FEATURES = 4, SET_PROTOCOL_FEATURES = 5,
            RESET_DEVICE = 8, GET_STATUS = 10;
    // region shapes of BackendConnectionFuzzTest.region
    static final int WHOLE_RAM = 0, SHORT_FD = 3;

    /** Builds an op sequence; every op is sent with flags VERSION_1 (selector 0) unless said otherwise. */
    static final class Script {
        final FuzzBytes.Writer w = new FuzzBytes.Writer();

        Script op(Op op) { w.u8(op.ordinal()).u8(0); return this; }
        Script opNeedReply(Op op) { w.u8(op.ordinal()).u8(1); return this; }
        Script u64(int request, long value) { op(Op.U64); w.u8(request).u64(value); return this; }
        Script memTable(int shape) { op(Op.MEM_TABLE); w.u8(1).u8(shape).bool(true); return this; }
        Script addReg(int shape) { op(Op.ADD_REG); w.u8(shape).bool(true); return this; }
        Script remReg(int shape) { op(Op.REM_REG); w.u8(shape).u8(0); return this; }
        Script num(int ring, int sizeIndex) { op(Op.VRING_NUM); w.u8(ring).u8(sizeIndex); return this; }
        Script addr(int ring, int desc, int used, int avail) {
            op(Op.VRING_ADDR);
            w.u8(ring);
            for (int a : new int[] {desc, used, avail}) w.u8(1).u16(a / 16);
            return this;
        }
        Script state(int which, int ring, int num) { op(Op.VRING_STATE); w.u8(which).u8(ring).u16(num); return this; }
        Script vringFd(int which, int ring) { op(Op.VRING_FD); w.u8(which).u8(ring).u8(1); return this; }
        Script kick(int ourFd) { op(Op.KICK); w.u8(ourFd); return this; }
        Script ram(int at, byte[] b) { op(Op.WRITE_RAM); w.u16(at).lengthPrefixed(b); return this; }
        Script raw(int request, byte[] payload, int fds) {
            op(Op.RAW);
            w.u8(request).lengthPrefixed(payload).bool(false).u8(fds);
            for (int i = 0; i < fds; i++) w.bool(false); // eventfds
            return this;
        }
        Script config(boolean get, int offset, int size) {
            op(Op.CONFIG);
            w.u8(1).u8(size).u8(offset).u8(1).bytes(new byte[size]).bool(get);
            return this;
        }

        /** QEMU's sequence up to a running ring 0 of 16 at RAM offsets 0 (desc), 0x1000 (used), 0x800 (avail). */
        Script qemuStart(boolean addMemReg) {
            u64(GET_FEATURES, 0).u64(SET_OWNER, 0).u64(GET_PROTOCOL_FEATURES, 0).u64(SET_PROTOCOL_FEATURES, Features.PROTOCOL_OFFERED);
            u64(SET_FEATURES, Features.VIRTIO_F_VERSION_1 | Features.VHOST_USER_F_PROTOCOL_FEATURES | Features.VIRTIO_RING_F_EVENT_IDX);
            if (addMemReg) addReg(WHOLE_RAM); else memTable(WHOLE_RAM);
            return num(0, 0).addr(0, 0, 0x1000, 0x800).state(0, 0, 0).vringFd(1, 0).vringFd(0, 0).state(2, 0, 1);
        }

        /** One chain (16 B readable, 16 B writable) on ring 0, then a kick on the kick eventfd (our fd 1). */
        Script request() {
            ram(0, DescriptorChainSeeds.table(new Desc(0x2000, 16, F_NEXT, 1), new Desc(0x3000, 16, F_WRITE, 0)));
            ram(0x800, new byte[] {0, 0, 1, 0, 0, 0});
            return kick(1);
        }

        byte[] bytes() { return w.toByteArray(); }
    }

    static Map<String, byte[]> all() {
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put("qemu-start-request-stop-reset", new Script().qemuStart(false).request().state(1, 0, 0)
                .u64(GET_STATUS, 0).u64(RESET_DEVICE, 0).bytes());
        s.put("add-mem-reg-then-remove-under-running-ring", new Script().qemuStart(true).request().remReg(WHOLE_RAM).kick(1)
                .addReg(WHOLE_RAM).kick(1).bytes());
        s.put("region-fd-shorter-than-region", new Script().memTable(SHORT_FD).addReg(SHORT_FD).bytes());
        s.put("oversized-payload", new Script().raw(5, new byte[4200], 0).bytes());
        s.put("config-read-and-write", new Script().config(true, 0, 16).config(false, 4, 4).config(true, 250, 16).bytes());
        s.put("unknown-request-with-fds", new Script().raw(33, new byte[0], 1).raw(99, new byte[8], 2).bytes());
        Script ack = new Script();
        ack.opNeedReply(Op.U64); ack.w.u8(RESET_DEVICE).u64(0);
        s.put("need-reply", ack.bytes());
        return s;
    }
}
