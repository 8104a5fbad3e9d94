package dev.panamavgpu.vhostuser.fuzz;

import static dev.panamavgpu.vhostuser.virtqueue.Ring.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/** Seed inputs for {@link DescriptorChainFuzzTest}: the well-formed and the known-bad ring shapes. */
final class DescriptorChainSeeds {
    private DescriptorChainSeeds() {}

    record Desc(long addr, int len, int flags, int next) {}

    static Map<String, byte[]> all() {
        Map<String, byte[]> s = new LinkedHashMap<>();
        s.put("empty-ring", ring(4, new Desc[0], 0, new int[0]));
        s.put("one-request-one-response", ring(4, new Desc[] {new Desc(0x3000, 24, F_NEXT, 1), new Desc(0x3100, 24, F_WRITE, 0)}, 0, new int[] {0}));
        s.put("three-part-chain", ring(8, new Desc[] {new Desc(0x3000, 16, F_NEXT, 1), new Desc(0x3010, 16, F_NEXT, 2),
                new Desc(0x4000, 64, F_WRITE, 0)}, 0, new int[] {0}));
        s.put("two-chains-event-idx", ring(4, new Desc[] {new Desc(0x3000, 24, F_NEXT, 1), new Desc(0x3100, 24, F_WRITE, 0),
                new Desc(0x3200, 40, F_NEXT, 3), new Desc(0x3300, 24, F_WRITE, 0)}, 0, new int[] {0, 2}));
        s.put("descriptor-loop", ring(4, new Desc[] {new Desc(0x3000, 8, F_NEXT, 1), new Desc(0x3000, 8, F_NEXT, 0)}, 0, new int[] {0}));
        s.put("next-beyond-size", ring(4, new Desc[] {new Desc(0x3000, 8, F_NEXT, 9)}, 0, new int[] {0}));
        s.put("writable-before-readable", ring(4, new Desc[] {new Desc(0x3000, 8, F_WRITE | F_NEXT, 1), new Desc(0x3100, 8, 0, 0)}, 0, new int[] {0}));
        s.put("address-outside-memory", ring(4, new Desc[] {new Desc(0x10_0000, 8, 0, 0)}, 0, new int[] {0}));
        s.put("range-wraps", ring(4, new Desc[] {new Desc(-8, 16, 0, 0)}, 0, new int[] {0}));
        s.put("crosses-region-boundary", ring(4, new Desc[] {new Desc(0x7ff0, 0x20, 0, 0)}, 0, new int[] {0}));
        s.put("avail-idx-runs-ahead", ringWithAvailIdx(4, 100));
        s.put("head-beyond-size", ring(4, new Desc[0], 0, new int[] {7}));
        // indirect: descriptor 0 points at a table of two at 0x5000
        s.put("indirect", withPatch(ring(4, new Desc[] {new Desc(0x5000, 32, F_INDIRECT, 0)}, 0, new int[] {0}), 0x5000,
                table(new Desc(0x3000, 24, F_NEXT, 1), new Desc(0x3100, 24, F_WRITE, 0))));
        // an indirect table straddling the two regions (libvhost-user's pointer-arithmetic bug)
        s.put("indirect-straddling-regions", withPatch(ring(4, new Desc[] {new Desc(0x7ff0, 48, F_INDIRECT, 0)}, 0, new int[] {0}), 0x7ff0,
                table(new Desc(0x3000, 24, F_NEXT, 1), new Desc(0x3100, 8, F_NEXT, 2), new Desc(0x3200, 24, F_WRITE, 0))));
        s.put("indirect-in-indirect", withPatch(ring(4, new Desc[] {new Desc(0x5000, 16, F_INDIRECT, 0)}, 0, new int[] {0}), 0x5000,
                table(new Desc(0x6000, 16, F_INDIRECT, 0))));
        s.put("indirect-length-not-multiple-of-16", ring(4, new Desc[] {new Desc(0x5000, 20, F_INDIRECT, 0)}, 0, new int[] {0}));
        s.put("indirect-with-next", ring(4, new Desc[] {new Desc(0x5000, 16, F_INDIRECT | F_NEXT, 1)}, 0, new int[] {0}));
        s.put("zero-length-buffers", ring(4, new Desc[] {new Desc(0x3000, 0, F_NEXT, 1), new Desc(0x3100, 0, F_WRITE, 0)}, 0, new int[] {0}));
        s.put("full-queue-256", fullQueue(256));
        return s;
    }

    static byte[] table(Desc... d) {
        ByteBuffer b = ByteBuffer.allocate(16 * d.length).order(ByteOrder.LITTLE_ENDIAN);
        for (Desc x : d) b.putLong(x.addr).putInt(x.len).putShort((short) x.flags).putShort((short) x.next);
        return b.array();
    }

    /** A ring of {@code size} with the given descriptors, lastAvail {@code lastAvail} and these heads made available. */
    static byte[] ring(int size, Desc[] descs, int lastAvail, int[] heads) {
        ByteBuffer avail = ByteBuffer.allocate((int) availSize(size)).order(ByteOrder.LITTLE_ENDIAN);
        avail.putShort(0, (short) 0).putShort(2, (short) (lastAvail + heads.length));
        for (int i = 0; i < heads.length; i++) avail.putShort(4 + 2 * ((lastAvail + i) % size), (short) heads[i]);
        byte[] desc = new byte[16 * size];
        byte[] t = table(descs);
        System.arraycopy(t, 0, desc, 0, Math.min(t.length, desc.length));
        return new FuzzBytes.Writer().u8(Integer.numberOfTrailingZeros(size)).bool(heads.length > 1).u16(lastAvail)
                .bytes(desc).bytes(avail.array()).u16(0).toByteArray();
    }

    static byte[] ringWithAvailIdx(int size, int availIdx) {
        byte[] avail = new byte[(int) availSize(size)];
        avail[2] = (byte) availIdx;
        return new FuzzBytes.Writer().u8(Integer.numberOfTrailingZeros(size)).bool(false).u16(0)
                .bytes(new byte[16 * size]).bytes(avail).u16(0).toByteArray();
    }

    static byte[] fullQueue(int size) {
        Desc[] d = new Desc[size];
        int[] heads = new int[size / 2];
        for (int i = 0; i < size; i += 2) {
            d[i] = new Desc(0x3000 + 32L * i, 24, F_NEXT, i + 1);
            d[i + 1] = new Desc(0x9000 + 32L * i, 24, F_WRITE, 0);
            heads[i / 2] = i;
        }
        return ring(size, d, 0xfff0, heads);
    }

    static byte[] withPatch(byte[] ring, int gpa, byte[] bytes) {
        return new FuzzBytes.Writer().bytes(ring).u16(gpa).lengthPrefixed(bytes).toByteArray();
    }
}
