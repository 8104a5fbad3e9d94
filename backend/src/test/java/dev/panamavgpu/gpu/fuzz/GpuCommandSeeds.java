package dev.panamavgpu.gpu.fuzz;

import dev.panamavgpu.gpu.fuzz.GpuCommandFuzzTest.Op;
import dev.panamavgpu.vhostuser.fuzz.FuzzBytes;
import java.util.LinkedHashMap;
import java.util.Map;

/** Seed inputs for {@link GpuCommandFuzzTest}: a guest drawing, and the CVE shapes of the reference (section 4). */
final class GpuCommandSeeds {
    private GpuCommandSeeds() {}

    static final int BGRX = 1; // index into FORMATS: code 2, B8G8R8X8

    /** Writes ops in the field order GpuCommandFuzzTest reads them. */
    static final class Script {
        final FuzzBytes.Writer w = new FuzzBytes.Writer();

        private Script op(Op op) { w.u8(op.ordinal()); return this; }
        private Script unfenced() { w.u8(0).u64(0); return this; }
        private Script id(long id) {
            if (id < 6) w.u8((int) id); else w.u8(7).u32(id);
            return this;
        }
        private Script size(long v) {
            long[] s = {64, 16, 1, 0, 32, 16384, 16385, 0x40000001L};
            for (int i = 0; i < s.length; i++) if (s[i] == v) { w.u8(i); return this; }
            if (v < 65536) w.u8(8).u16((int) v); else w.u8(9).u32(v);
            return this;
        }
        private Script coord(long v) {
            if (v == 0xffffffffL) w.u8(1); else if (v < 64) w.u8(2).u8((int) v); else w.u8(0).u32(v);
            return this;
        }
        private Script rect(long x, long y, long wd, long h) { return coord(x).coord(y).size(wd).size(h); }

        Script create(long id, long wd, long h) { op(Op.CREATE).id(id); w.u8(0).u8(BGRX); return size(wd).size(h).unfenced(); }
        /** Backing entries in guest memory, each given as (gpa multiple of 16, length < 64 KiB). */
        Script attach(long id, long... addrLen) {
            op(Op.ATTACH);
            w.u8(addrLen.length / 2);
            for (int i = 0; i < addrLen.length; i += 2) w.u8(2).u16((int) (addrLen[i] / 16)).u8(2).u16((int) addrLen[i + 1]);
            return id(id).unfenced();
        }
        Script detach(long id) { return op(Op.DETACH).id(id).unfenced(); }
        Script unref(long id) { return op(Op.UNREF).id(id).unfenced(); }
        Script transfer(long id, long x, long y, long wd, long h, long offset) {
            op(Op.TRANSFER).id(id).rect(x, y, wd, h);
            if (offset < 65536) w.u8(1).u16((int) offset); else w.u8(0).u64(offset);
            return unfenced();
        }
        Script scanout(int scanout, long id, long x, long y, long wd, long h) { op(Op.SCANOUT); w.u8(scanout); return id(id).rect(x, y, wd, h).unfenced(); }
        Script flush(long id, long x, long y, long wd, long h) { return op(Op.FLUSH).id(id).rect(x, y, wd, h).unfenced(); }
        Script cursor(boolean update, int scanout, long x, long y, long id) {
            op(Op.CURSOR);
            w.bool(update).u8(scanout);
            coord(x).coord(y).id(id);
            w.u8(0).u8(0);
            return unfenced();
        }
        Script other(int typeIndex, int arg) { op(Op.OTHER); w.u8(typeIndex).u8(1).u8(arg).u8(0); return unfenced(); }
        Script raw(byte[] b) { op(Op.RAW); w.lengthPrefixed(b); return unfenced(); }
        Script removeLow() { return op(Op.REMOVE_LOW); }
        Script restoreLow() { return op(Op.RESTORE_LOW); }
        Script render(int scanout, int x, int y, int wd, int h) { op(Op.RENDER); w.u8(scanout).u8(x).u8(y).u8(wd - 1).u8(h - 1); return this; }
        Script reset() { return op(Op.RESET); }
        Script diskFails(boolean writes) { op(Op.DISK_FAILS); w.u8(writes ? 1 : 0); return this; }
        Script diskHeals() { return op(Op.DISK_HEALS); }
        byte[] bytes() { return w.toByteArray(); }
    }

    /** A 32x32 picture and a 64x64 cursor, backed in the low region, shown, flushed, rendered, then torn down. */
    static Script draw() {
        return new Script().create(1, 32, 32).attach(1, 0x1000, 0x1000).transfer(1, 0, 0, 32, 32, 0)
                .scanout(0, 1, 0, 0, 32, 32).flush(1, 0, 0, 32, 32).render(0, 0, 0, 32, 32)
                .create(2, 64, 64).attach(2, 0x2000, 0x4000).transfer(2, 0, 0, 64, 64, 0).cursor(true, 0, 10, 10, 2).cursor(false, 0, 20, 20, 2)
                .other(11, 1) // ASSIGN_UUID of resource 1
                .detach(1).unref(1).unref(2);
    }

    static Map<String, byte[]> all() {
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put("draw-and-tear-down", draw().bytes());
        s.put("backing-in-removed-memory", new Script().create(1, 32, 32).attach(1, 0x1000, 0x1000).scanout(0, 1, 0, 0, 32, 32)
                .removeLow().transfer(1, 0, 0, 32, 32, 0).render(0, 0, 0, 16, 16).restoreLow().transfer(1, 0, 0, 32, 32, 0).bytes());
        s.put("backing-straddling-regions", new Script().create(1, 32, 32).attach(1, 0x7800, 0x1000).transfer(1, 0, 0, 32, 32, 0)
                .removeLow().transfer(1, 0, 0, 32, 32, 0).bytes());
        s.put("zdi-can-27578-stride-wrap", new Script().create(1, 0x40000001L, 128).scanout(0, 1, 0xffffffffL, 0, 16, 16)
                .transfer(1, 0, 0, 16, 16, 0).bytes());
        s.put("transfer-rect-overflow", new Script().create(1, 32, 32).attach(1, 0x1000, 0x1000).transfer(1, 0xffffffffL, 0, 2, 1, 0)
                .transfer(1, 0, 0, 32, 32, 0xfffffffffffff000L).flush(1, 0xffffffffL, 0xffffffffL, 2, 2).bytes());
        s.put("double-attach-and-unref-while-scanned-out", new Script().create(1, 32, 32).attach(1, 0x1000, 0x1000).attach(1, 0x3000, 0x1000)
                .scanout(0, 1, 0, 0, 32, 32).unref(1).flush(1, 0, 0, 32, 32).render(0, 0, 0, 16, 16).bytes());
        s.put("scanout-ids-beyond-outputs", new Script().create(1, 32, 32).scanout(4, 1, 0, 0, 32, 32).scanout(5, 1, 0, 0, 32, 32)
                .cursor(false, 5, 0, 0, 0).other(10, 200).bytes()); // GET_EDID of scanout 200
        s.put("cursor-wrong-size", new Script().create(3, 32, 32).cursor(true, 0, 0, 0, 3).cursor(true, 0, 0, 0, 9).bytes());
        s.put("budget-exhaustion", new Script().create(1, 16384, 16384).create(2, 1024, 1024).create(3, 1024, 1024).create(4, 1024, 1024)
                .transfer(2, 0, 0, 1, 1, 0).reset().create(1, 1024, 1024).bytes());
        s.put("short-and-unknown-requests", new Script().raw(new byte[10]).raw(GpuCommands.hdr(GpuCommands.ATTACH, 0, 0, 24).array())
                .raw(GpuCommands.attach(1)).other(14, 0).other(8, 0).other(9, 0).bytes());
        s.put("fenced", fenced());
        // 1 MiB resources against 2 MiB of RAM: page-outs fail (ENOSPC), then page-ins (EIO), then the disk heals
        s.put("page-file-fails-and-heals", new Script().create(1, 512, 512).attach(1, 0x1000, 0x1000).transfer(1, 0, 0, 8, 1, 0)
                .create(2, 512, 512).attach(2, 0x1000, 0x1000).transfer(2, 0, 0, 8, 1, 0).diskFails(true)
                .create(3, 512, 512).attach(3, 0x1000, 0x1000).transfer(3, 0, 0, 8, 1, 0).diskHeals().transfer(3, 0, 0, 8, 1, 0)
                .diskFails(false).transfer(1, 0, 0, 8, 1, 0).scanout(0, 1, 0, 0, 32, 32).diskHeals().transfer(1, 0, 0, 8, 1, 0)
                .render(0, 0, 0, 16, 16).unref(1).unref(2).unref(3).bytes());
        return s;
    }

    private static byte[] fenced() {
        Script sc = new Script();
        sc.w.u8(Op.CREATE.ordinal()).u8(1).u8(0).u8(BGRX).u8(0).u8(0).u8(3).u64(0x1234_5678_9abcL); // FENCE | INFO_RING_IDX
        return sc.bytes();
    }
}
