package dev.panamavgpu.memory;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryManagerTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    private MemoryManager manager(long resident, long total) {
        return new MemoryManager(new MemoryLimits(resident, total, dir));
    }

    private static void fill(MemorySegment m, int seed) {
        for (long i = 0; i < m.byteSize(); i += 4096) m.set(ValueLayout.JAVA_INT_UNALIGNED, i, seed * 31 + (int) (i >> 12));
    }

    private static void check(MemorySegment m, int seed) {
        for (long i = 0; i < m.byteSize(); i += 4096) assertEquals(seed * 31 + (int) (i >> 12), m.get(ValueLayout.JAVA_INT_UNALIGNED, i), "byte " + i);
    }

    @Test
    void reserveCostsNoResidentMemoryUntilUsed() throws Exception {
        try (MemoryManager m = manager(4 * MIB, 16 * MIB)) {
            PixelBuffer b = m.reserve(MIB, "b");
            assertEquals(PixelBuffer.State.UNTOUCHED, b.state());
            assertFalse(b.hasContent());
            assertEquals(0, m.figures().resident());
            assertEquals(MIB, m.figures().reserved());
            m.use(b);
            assertEquals(MIB, m.figures().resident());
            assertEquals(0, m.figures().reserved());
        }
    }

    @Test
    void pastTheResidentBudgetTheLeastRecentlyUsedMoveOutAndComeBackIntact() throws Exception {
        try (MemoryManager m = manager(4 * MIB, 64 * MIB)) {
            List<PixelBuffer> bs = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                PixelBuffer b = m.reserve(MIB, "b" + i);
                fill(m.use(b), i);
                bs.add(b);
                assertTrue(m.figures().resident() <= 4 * MIB, "resident " + m.figures().resident());
            }
            MemoryFigures f = m.figures();
            assertEquals(8, f.evictions());
            assertEquals(8 * MIB, f.pagedOut());
            assertEquals(PixelBuffer.State.PAGED_OUT, bs.get(0).state(), "the oldest went first");
            assertEquals(PixelBuffer.State.RESIDENT, bs.get(11).state());
            for (int i = 0; i < 12; i++) check(m.use(bs.get(i)), i);
            assertTrue(m.figures().pageIns() >= 8);
            for (PixelBuffer b : bs) m.free(b);
            f = m.figures();
            assertEquals(0, f.total());
            assertEquals(0, f.buffers());
        }
    }

    @Test
    void pinnedBuffersStayAndWhenOnlyPinnedRemainTheUseIsRefused() throws Exception {
        try (MemoryManager m = manager(2 * MIB, 64 * MIB)) {
            PixelBuffer a = m.reserve(MIB, "a"), b = m.reserve(MIB, "b"), c = m.reserve(MIB, "c");
            m.use(a);
            m.pin(a);
            m.use(b);
            m.pin(b);
            MemoryUnavailableException e = assertThrows(MemoryUnavailableException.class, () -> m.use(c));
            assertTrue(e.getMessage().contains("c"), e.getMessage());
            assertEquals(2 * MIB, m.figures().pinned());
            m.unpin(b);
            m.use(c); // b moves out now
            assertEquals(PixelBuffer.State.PAGED_OUT, b.state());
            assertEquals(PixelBuffer.State.RESIDENT, a.state());
            assertThrows(IllegalStateException.class, () -> m.unpin(b));
        }
    }

    @Test
    void theTotalBudgetRefusesAndReleasesExactly() throws Exception {
        try (MemoryManager m = manager(MIB, 3 * MIB)) {
            PixelBuffer a = m.reserve(2 * MIB - 4096, "a");
            m.chargeTable(4096, "table");
            assertThrows(MemoryUnavailableException.class, () -> m.reserve(MIB + 1, "too much"));
            PixelBuffer b = m.reserve(MIB, "fits");
            m.free(a);
            m.free(b);
            m.releaseTable(4096);
            assertEquals(0, m.figures().total());
            assertTrue(m.figures().refusals() >= 1);
        }
    }

    @Test
    void unmapIsAnnouncedBeforeTheMemoryGoes() throws Exception {
        try (MemoryManager m = manager(MIB, 8 * MIB)) {
            List<Long> announced = new ArrayList<>();
            m.onBeforeUnmap(seg -> {
                seg.get(ValueLayout.JAVA_BYTE, 0); // still mapped while we are told
                announced.add(seg.byteSize());
            });
            PixelBuffer a = m.reserve(MIB, "a"), b = m.reserve(MIB, "b");
            m.use(a);
            m.use(b); // a moves out
            m.free(b);
            assertEquals(List.of(MIB, MIB), announced);
        }
    }

    @Test
    void untouchedChunksTakeNoPlaceInThePageFileAndReadBackAsZero() throws Exception {
        try (MemoryManager m = manager(MIB, 8 * MIB)) {
            PixelBuffer a = m.reserve(MIB, "a");
            MemorySegment s = m.use(a);
            s.set(ValueLayout.JAVA_INT, MIB - 4, 0x12345678); // only the last chunk is non-zero
            m.use(m.reserve(MIB, "b")); // a moves out
            assertEquals(PixelBuffer.State.PAGED_OUT, a.state());
            MemorySegment back = m.use(a);
            assertEquals(0x12345678, back.get(ValueLayout.JAVA_INT, MIB - 4));
            assertEquals(-1, MemorySegment.mismatch(back, 0, MIB - PageFile.CHUNK, MemorySegment.ofArray(new byte[(int) (MIB - PageFile.CHUNK)]), 0, MIB - PageFile.CHUNK));
        }
    }

    @Test
    void shrinkerMovesColdBuffersOutUnderPressureAndCountsEpisodes() throws Exception {
        try (MemoryManager m = manager(16 * MIB, 64 * MIB)) {
            String[] pressure = {null};
            Shrinker s = new Shrinker(m, () -> pressure[0]);
            PixelBuffer pinned = m.reserve(MIB, "shown");
            m.use(pinned);
            m.pin(pinned);
            for (int i = 0; i < 8; i++) m.use(m.reserve(MIB, "cold" + i));
            s.poll();
            assertEquals(0, m.figures().evictions(), "no pressure, nothing moves");
            pressure[0] = "test pressure";
            s.poll();
            assertEquals(4, m.figures().evictions(), "half of the 8 movable MiB");
            s.poll();
            assertEquals(6, m.figures().evictions());
            pressure[0] = null;
            s.poll();
            assertEquals(1, s.episodes());
            assertEquals(PixelBuffer.State.RESIDENT, pinned.state());
        }
    }

    @Test
    void pressureGaugeReadsPsiAndCgroupEvents(@TempDir Path t) throws Exception {
        Path psi = t.resolve("memory"), events = t.resolve("memory.events");
        java.nio.file.Files.writeString(psi, "some avg10=0.50 avg60=0.10 avg300=0.00 total=1\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
        java.nio.file.Files.writeString(events, "low 0\nhigh 3\nmax 0\noom 0\noom_kill 0\n");
        PressureGauge g = new PressureGauge(psi, events);
        assertNull(g.get());
        java.nio.file.Files.writeString(psi, "some avg10=12.00 avg60=0.10 avg300=0.00 total=1\n");
        assertTrue(g.get().contains("avg10=12.0"));
        java.nio.file.Files.writeString(psi, "some avg10=0.00 avg60=0.10 avg300=0.00 total=1\n");
        java.nio.file.Files.writeString(events, "low 0\nhigh 5\nmax 0\n");
        assertTrue(g.get().contains("+2"));
        assertNull(g.get(), "no new events since the last look");
        assertNull(new PressureGauge(t.resolve("missing"), null).get());
    }
}
