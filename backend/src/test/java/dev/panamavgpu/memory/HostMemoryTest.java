package dev.panamavgpu.memory;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.vhostuser.loop.EventLoop;
import dev.panamavgpu.vhostuser.loop.LoopThread;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host budget across VMs, with the real cross-thread protocol: each VM's manager on a loop
 * thread of its own, the shrinker's requests posted to those loops, the shrinker's rounds driven by
 * the test (the thread would do the same every 100 ms).
 */
class HostMemoryTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    /** One VM: its loop thread, and its manager, touched only on that thread. */
    private final class Vm implements AutoCloseable {
        final LoopThread thread;
        final VmShare share;
        MemoryManager memory;
        final List<PixelBuffer> buffers = new ArrayList<>(); // loop thread only

        Vm(HostMemory host, String name, long vmResident, long maxPinned) throws Exception {
            EventLoop loop = new EventLoop();
            thread = new LoopThread(loop, name, () -> {
                for (PixelBuffer b : buffers) if (b.state() != PixelBuffer.State.FREED) memory.free(b);
                memory.close();
            }).start();
            share = host.join(name, (bytes, done) -> loop.execute(() -> {
                try { memory.reclaim(bytes); } finally { done.run(); }
            }));
            on(() -> memory = new MemoryManager(new MemoryLimits(vmResident, 1L << 30, dir), PageIo.UNNAMED_FILE, System::nanoTime, host, share, maxPinned));
        }

        <T> T on(java.util.function.Supplier<T> what) throws Exception {
            return thread.loop().submit(what).get(10, TimeUnit.SECONDS);
        }

        void on(Runnable what) throws Exception {
            on(() -> { what.run(); return null; });
        }

        /** Creates {@code n} buffers of {@code size} filled with a pattern of (vm, index). */
        void fill(int n, long size, int salt) throws Exception {
            on(() -> {
                try {
                    for (int i = 0; i < n; i++) {
                        PixelBuffer b = memory.reserve(size, "b" + i);
                        write(memory.use(b), salt * 1000 + i);
                        buffers.add(b);
                    }
                } catch (MemoryUnavailableException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        /** Uses buffers [from, to) and checks their bytes; returns whether all were exact. */
        boolean useAndCheck(int from, int to, int salt) throws Exception {
            return on(() -> {
                try {
                    for (int i = from; i < to; i++) if (!exact(memory.use(buffers.get(i)), salt * 1000 + i)) return false;
                    return true;
                } catch (MemoryUnavailableException e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        long residentOf(int from, int to) throws Exception {
            return on(() -> {
                long n = 0;
                for (int i = from; i < to; i++) if (buffers.get(i).state() == PixelBuffer.State.RESIDENT) n += buffers.get(i).size();
                return n;
            });
        }

        MemoryFigures figures() throws Exception { return on(() -> memory.figures()); }

        @Override
        public void close() { thread.close(); }
    }

    private static void write(MemorySegment m, int seed) {
        for (long i = 0; i < m.byteSize(); i += 4096) m.set(ValueLayout.JAVA_INT_UNALIGNED, i, seed * 31 + (int) (i >> 12));
    }

    private static boolean exact(MemorySegment m, int seed) {
        for (long i = 0; i < m.byteSize(); i += 4096) if (m.get(ValueLayout.JAVA_INT_UNALIGNED, i) != seed * 31 + (int) (i >> 12)) return false;
        return true;
    }

    /** Rounds until the posted requests have run and the host is within its budget (or gives up). */
    private static void settle(HostShrinker s, HostMemory host, List<Vm> vms) throws Exception {
        for (int i = 0; i < 50 && host.resident() > host.maxResident() - host.maxResident() / 16; i++) {
            s.round(false);
            for (Vm vm : vms) vm.on(() -> {}); // the requests posted before this have run
        }
    }

    @Test
    void fairSharesGoToDemandFirstAndSplitTheRestEvenly() {
        HostMemory host = new HostMemory(100, 1000, 4);
        VmShare idle = host.join("idle", (b, d) -> {}), small = host.join("small", (b, d) -> {}),
                big1 = host.join("big1", (b, d) -> {}), big2 = host.join("big2", (b, d) -> {});
        long e = host.epoch();
        small.noteUse(10, e);
        big1.noteUse(80, e);
        big2.noteUse(200, e);
        Map<VmShare, Long> s = HostShrinker.fairShares(List.of(idle, small, big1, big2), e, 100);
        assertEquals(0, s.get(idle));
        assertEquals(10, s.get(small));
        assertEquals(45, s.get(big1)); // (100 - 10) / 2
        assertEquals(45, s.get(big2));
        // two epochs later with no use, the demand is gone
        assertEquals(0, big2.demand(e + 2));
        assertEquals(200, big2.demand(e + 1), "the last epoch still counts");
    }

    @Test
    void theHotVmKeepsItsWorkingSetWhileIdleVmsArePagedAndEveryByteReadsBack() throws Exception {
        HostMemory host = new HostMemory(32 * MIB, 1L << 30, 4);
        HostShrinker shrinker = new HostShrinker(host, () -> null); // rounds driven here
        List<Vm> vms = new ArrayList<>();
        try {
            for (int v = 0; v < 4; v++) vms.add(new Vm(host, "vm" + v, 32 * MIB, 8 * MIB));
            for (int v = 0; v < 4; v++) {
                vms.get(v).fill(16, MIB, v); // 64 MiB in all into a 32 MiB host budget
                settle(shrinker, host, vms);
            }
            assertTrue(host.resident() <= 32 * MIB, "host resident " + host.resident());
            // VM 0 is hot: its first 12 MiB used again and again over a few epochs; the others idle
            Vm hot = vms.get(0);
            for (int epoch = 0; epoch < 4; epoch++) {
                host.advanceEpoch();
                for (int pass = 0; pass < 3; pass++) {
                    assertTrue(hot.useAndCheck(0, 12, 0));
                    settle(shrinker, host, vms);
                }
            }
            long evictionsBefore = hot.figures().evictions();
            for (int pass = 0; pass < 10; pass++) {
                assertTrue(hot.useAndCheck(0, 12, 0));
                settle(shrinker, host, vms);
            }
            assertEquals(12 * MIB, hot.residentOf(0, 12), "the hot working set stays resident");
            assertEquals(evictionsBefore, hot.figures().evictions(), "nothing of the hot VM moved out while it worked");
            long idleResident = 0;
            for (int v = 1; v < 4; v++) idleResident += vms.get(v).figures().resident();
            assertTrue(idleResident <= 32 * MIB - 12 * MIB, "idle VMs hold " + idleResident);
            assertTrue(hot.share.fairShare() >= 12 * MIB, "hot share " + hot.share.fairShare());
            assertTrue(host.resident() <= 32 * MIB, "host resident " + host.resident());
            // every byte of every VM reads back exactly, paged or not
            for (int v = 0; v < 4; v++) assertTrue(vms.get(v).useAndCheck(0, 16, v), "VM " + v);
        } finally {
            for (Vm vm : vms) vm.close();
            shrinker.close();
        }
        assertEquals(0, host.resident(), "everything released");
        assertEquals(0, host.total());
        assertTrue(host.shares().isEmpty());
    }

    @Test
    void aVmPastItsCapsOrPinBoundIsRefusedWhileTheOthersAreServed() throws Exception {
        HostMemory host = new HostMemory(16 * MIB, 64 * MIB, 4);
        HostShrinker shrinker = new HostShrinker(host, () -> null);
        List<Vm> vms = new ArrayList<>();
        try {
            for (int v = 0; v < 4; v++) vms.add(new Vm(host, "vm" + v, 8 * MIB, 4 * MIB));
            for (int v = 1; v < 4; v++) vms.get(v).fill(4, MIB, v);
            Vm flood = vms.get(0);
            // the flooder creates until the host's total budget refuses it (64 - 12 MiB of others)
            int made = flood.on(() -> {
                int n = 0;
                try {
                    while (true) {
                        PixelBuffer b = flood.memory.reserve(MIB, "f" + n);
                        flood.buffers.add(b);
                        n++;
                    }
                } catch (MemoryUnavailableException e) {
                    return n;
                }
            });
            assertEquals(52, made);
            assertTrue(flood.figures().refusals() > 0);
            // the others' resources are all there and exact, and they may still page in
            settle(shrinker, host, vms);
            for (int v = 1; v < 4; v++) assertTrue(vms.get(v).useAndCheck(0, 4, v), "VM " + v);
            // pinned bound: 4 MiB per VM
            boolean[] pins = flood.on(() -> {
                boolean[] r = new boolean[5];
                for (int i = 0; i < 5; i++) {
                    r[i] = flood.memory.canPin(flood.buffers.get(i));
                    if (r[i]) flood.memory.pin(flood.buffers.get(i));
                }
                return r;
            });
            assertArrayEquals(new boolean[] {true, true, true, true, false}, pins);
        } finally {
            for (Vm vm : vms) vm.close();
            shrinker.close();
        }
        assertEquals(0, host.total());
    }
}
