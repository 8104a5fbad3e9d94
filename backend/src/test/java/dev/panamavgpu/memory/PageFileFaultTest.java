package dev.panamavgpu.memory;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full or failing page file loses nothing: page-outs that fail keep the buffer resident and turn
 * the resident budget into a hard limit until paging works again; a page-in that fails is a
 * PAGE_FILE refusal for that buffer, which is still there for a later try.
 */
class PageFileFaultTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    private static void fill(MemorySegment m, int seed) {
        for (long i = 0; i < m.byteSize(); i += 4096) m.set(ValueLayout.JAVA_INT_UNALIGNED, i, seed * 31 + (int) (i >> 12) + 1);
    }

    private static void check(MemorySegment m, int seed) {
        for (long i = 0; i < m.byteSize(); i += 4096) assertEquals(seed * 31 + (int) (i >> 12) + 1, m.get(ValueLayout.JAVA_INT_UNALIGNED, i), "word at " + i);
    }

    @Test
    void failingPageOutsKeepEverythingResidentRefuseBeyondTheBudgetAndResumeLater() throws Exception {
        FaultyDisk io = new FaultyDisk();
        try (MemoryManager m = io.manager(new MemoryLimits(4 * MIB, 64 * MIB, dir))) {
            io.failWrites(true);
            List<PixelBuffer> accepted = new ArrayList<>();
            int refused = 0;
            for (int i = 0; i < 10; i++) {
                PixelBuffer b = m.reserve(MIB, "b" + i);
                try {
                    fill(m.use(b), i);
                    accepted.add(b);
                } catch (MemoryUnavailableException e) {
                    assertEquals(MemoryUnavailableException.Reason.BUDGET, e.reason());
                    assertTrue(e.getMessage().contains("paging suspended"), e.getMessage());
                    refused++;
                    m.free(b);
                }
            }
            assertEquals(4, accepted.size(), "what fits the resident budget");
            assertEquals(6, refused);
            assertEquals(1, io.writeFailures, "one try, then paging is suspended until the retry time");
            MemoryFigures f = m.figures();
            assertTrue(f.pagingSuspended());
            assertEquals(1, f.pageOutFailures());
            assertEquals(0, f.pagedOut());
            for (int i = 0; i < accepted.size(); i++) check(m.use(accepted.get(i)), i);

            // the disk has room again; after the retry time, paging resumes
            io.failWrites(false);
            io.advancePastRetry();
            PixelBuffer late = m.reserve(MIB, "late");
            fill(m.use(late), 99);
            assertFalse(m.figures().pagingSuspended());
            assertEquals(1, m.figures().evictions());
            for (int i = 0; i < accepted.size(); i++) check(m.use(accepted.get(i)), i);
            check(m.use(late), 99);
        }
    }

    @Test
    void aFailingPageInRefusesThatBufferOnlyAndItComesBackWhenTheDiskDoes() throws Exception {
        FaultyDisk io = new FaultyDisk();
        try (MemoryManager m = io.manager(new MemoryLimits(2 * MIB, 64 * MIB, dir))) {
            PixelBuffer a = m.reserve(MIB, "a"), b = m.reserve(MIB, "b"), c = m.reserve(MIB, "c");
            fill(m.use(a), 1);
            fill(m.use(b), 2);
            fill(m.use(c), 3); // a goes out
            assertEquals(PixelBuffer.State.PAGED_OUT, a.state());
            io.failReads(true);
            MemoryUnavailableException e = assertThrows(MemoryUnavailableException.class, () -> m.use(a));
            assertEquals(MemoryUnavailableException.Reason.PAGE_FILE, e.reason());
            assertEquals(PixelBuffer.State.PAGED_OUT, a.state(), "its copy stays in the page file");
            assertEquals(1, m.figures().pageInFailures());
            check(m.use(c), 3); // others unaffected
            io.failReads(false);
            check(m.use(a), 1);
            check(m.use(b), 2);
            check(m.use(c), 3);
        }
    }

    /** The real thing: a 2 MiB tmpfs fills up under the page file (ENOSPC from pwrite, not a SIGBUS). */
    @Test
    void aPageDirOnATinyTmpfsRefusesInsteadOfFaulting() throws Exception {
        Path mnt = Files.createDirectories(dir.resolve("tiny"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mnt.toString()).inheritIO().start();
        if (!mount.waitFor(10, TimeUnit.SECONDS) || mount.exitValue() != 0) fail("cannot mount a tmpfs (the test suite runs as root in CI)");
        try (MemoryManager m = new MemoryManager(new MemoryLimits(4 * MIB, 64 * MIB, mnt))) {
            List<PixelBuffer> accepted = new ArrayList<>();
            List<Integer> seeds = new ArrayList<>();
            int refused = 0;
            for (int i = 0; i < 16; i++) {
                PixelBuffer b = m.reserve(MIB, "b" + i);
                try {
                    fill(m.use(b), i);
                    accepted.add(b);
                    seeds.add(i);
                } catch (MemoryUnavailableException e) {
                    refused++;
                    m.free(b);
                }
            }
            MemoryFigures f = m.figures();
            assertTrue(refused > 0, "16 MiB cannot fit 4 MiB of RAM and 2 MiB of disk");
            assertTrue(f.pageOutFailures() > 0, "the tmpfs ran full: " + f);
            assertTrue(f.pagedOut() > 0 && f.pagedOut() <= 2 * MIB, "paged out: " + f.pagedOut());
            for (int i = 0; i < accepted.size(); i++) {
                try {
                    check(m.use(accepted.get(i)), seeds.get(i));
                } catch (MemoryUnavailableException e) {
                    // bringing one back needs room, which a full disk cannot give: refused, not lost
                    assertEquals(MemoryUnavailableException.Reason.BUDGET, e.reason(), e.getMessage());
                }
            }
        } finally {
            new ProcessBuilder("umount", mnt.toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
