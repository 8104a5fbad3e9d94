package dev.panamavgpu.testguest.qxl;

import static dev.panamavgpu.testguest.qxl.QxlGuest.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a broken or hostile guest can write: each fault sets QXL_INTERRUPT_ERROR, stops the device
 * (every IO but RESET answers STOPPED) and RESET brings it back; nothing reaches the backend's health.
 */
class QxlBadInputTest {
    private QxlRig rig;
    private QxlGuest g;

    @BeforeEach
    void start() throws Exception {
        rig = QxlRig.start();
        g = rig.guest;
        assertEquals(IO_OK, g.createPrimary(16, 16, false));
        g.takeInterrupts();
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    /** The device is stopped with {@code code}, answers STOPPED, and works again after RESET. */
    private void assertStoppedThenRecovers(String code) throws Exception {
        assertEquals(code, rig.stats().bug());
        assertTrue((g.interruptsPending() & INT_ERROR) != 0, "QXL_INTERRUPT_ERROR raised");
        assertTrue(g.bugCode() != 0);
        assertEquals(IO_STOPPED, g.io(IO_FLUSH_RELEASE, 0));
        assertEquals(IO_STOPPED, g.createPrimary(8, 8, false));
        g.setup();
        assertEquals("NONE", rig.stats().bug());
        assertEquals(0, g.bugCode());
        assertEquals(IO_OK, g.createPrimary(8, 8, false));
        g.fill(0, 0, 0, 8, 8, 0x77, null);
        assertEquals(IO_OK, g.updateArea(0, 0, 0, 8, 8));
        assertEquals(0x77, g.primaryPixel(7, 7));
    }

    private void pushRaw(long phys, int type) throws Exception {
        g.push(false, phys, type);
        rig.settle();
    }

    @Test
    void commandOutsideEveryMemslot() throws Exception {
        pushRaw(g.phys(g.shm.byteSize() - 8), CMD_DRAW); // 191 bytes would run past the slot
        assertStoppedThenRecovers("BAD_ADDRESS");
    }

    @Test
    void commandInAnInactiveSlot() throws Exception {
        pushRaw(QxlGuest.physIn(5, g.generation, 0), CMD_DRAW);
        assertStoppedThenRecovers("BAD_SLOT");
    }

    @Test
    void commandWithAStaleGeneration() throws Exception {
        long d = g.fill(0, 0, 0, 1, 1, 1, null); // pushed once correctly...
        pushRaw(QxlGuest.physIn(1, g.generation + 1, d - GUEST), CMD_DRAW);
        assertStoppedThenRecovers("BAD_GENERATION");
    }

    @Test
    void producerIndexRunningAheadOfTheRing() throws Exception {
        long ring = RAM + CMD_RING;
        A32.setRelease(g.shm, ring + R_PROD, (int) A32.getAcquire(g.shm, ring + R_CONS) + 1000);
        g.kick();
        IvshmemWait.until(() -> !"NONE".equals(rig.stats().bug()));
        assertStoppedThenRecovers("BAD_RING");
    }

    @Test
    void unknownCommandType() throws Exception {
        pushRaw(g.phys(g.command(64)), 77);
        assertStoppedThenRecovers("BAD_COMMAND");
    }

    @Test
    void releaseIdZero() throws Exception {
        long d = g.command(191);
        g.shm.set(LE64, d, 0L);
        pushRaw(g.phys(d), CMD_DRAW);
        assertStoppedThenRecovers("BAD_RELEASE_ID");
    }

    @Test
    void chunkChainThatLoops() throws Exception {
        long image = g.alloc(48);
        g.shm.set(ValueLayout.JAVA_BYTE, image + 18, (byte) 8);
        g.shm.set(LE32, image + 20, 64);
        g.shm.set(LE32, image + 24, 64);
        g.shm.set(LE32, image + 28, 256);
        long chunk = g.alloc(20);
        g.shm.set(LE32, chunk, 0);                   // no data...
        g.shm.set(LE64, chunk + 12, g.phys(chunk)); // ...and next = itself
        g.shm.set(LE64, image + 40, g.phys(chunk));
        g.copy(0, 0, 0, 4, 4, image, 0, 0, null);
        rig.settle();
        assertStoppedThenRecovers("BAD_CHUNKS");
    }

    @Test
    void chunkChainTooShortForTheBitmap() throws Exception {
        long image = g.alloc(48);
        g.shm.set(ValueLayout.JAVA_BYTE, image + 18, (byte) 8);
        g.shm.set(LE32, image + 20, 4);
        g.shm.set(LE32, image + 24, 4);
        g.shm.set(LE32, image + 28, 16);
        long chunk = g.alloc(20 + 8);
        g.shm.set(LE32, chunk, 8);
        g.shm.set(LE64, image + 40, g.phys(chunk));
        g.copy(0, 0, 0, 4, 4, image, 0, 0, null);
        rig.settle();
        assertStoppedThenRecovers("BAD_CHUNKS");
    }

    @Test
    void chunkDataSizeLargerThanTheSlot() throws Exception {
        long image = g.alloc(48);
        g.shm.set(ValueLayout.JAVA_BYTE, image + 18, (byte) 8);
        g.shm.set(LE32, image + 20, 4);
        g.shm.set(LE32, image + 24, 4);
        g.shm.set(LE32, image + 28, 16);
        long chunk = g.alloc(20);
        g.shm.set(LE32, chunk, -1); // 4 GiB of data
        g.shm.set(LE64, image + 40, g.phys(chunk));
        g.copy(0, 0, 0, 4, 4, image, 0, 0, null);
        rig.settle();
        assertStoppedThenRecovers("BAD_ADDRESS");
    }

    @Test
    void copySourceOutsideTheBitmap() throws Exception {
        long image = g.alloc(48 + 64);
        g.shm.set(ValueLayout.JAVA_BYTE, image + 18, (byte) 8);
        g.shm.set(ValueLayout.JAVA_BYTE, image + 19, (byte) 1);
        g.shm.set(LE32, image + 20, 4);
        g.shm.set(LE32, image + 24, 4);
        g.shm.set(LE32, image + 28, 16);
        g.shm.set(LE64, image + 40, g.phys(image + 48));
        g.copy(0, 0, 0, 4, 4, image, 2, 2, null); // src (2,2)-(6,6) in a 4x4 bitmap
        rig.settle();
        assertStoppedThenRecovers("BAD_COMMAND");
    }

    @Test
    void hugeClipRectCount() throws Exception {
        long d = g.drawable(0, 1, 0, 0, 4, 4, new int[] {0, 0, 1, 1});
        long clipRects = g.alloc(24);
        g.shm.set(LE32, clipRects, Integer.MAX_VALUE);
        g.shm.set(LE64, d + 51, g.phys(clipRects));
        g.shm.set(LE32, d + 123, 1);
        g.shm.set(QxlGuest.LE16, d + 143, (short) 8);
        pushRaw(g.phys(d), CMD_DRAW);
        assertStoppedThenRecovers("BAD_COMMAND");
    }

    @Test
    void surfaceWithABadStrideOrFormat() throws Exception {
        long c = g.command(41);
        g.shm.set(LE32, c + 8, 4);
        g.shm.set(LE32, c + 17, FMT_32_XRGB);
        g.shm.set(LE32, c + 21, 100);
        g.shm.set(LE32, c + 25, 10);
        g.shm.set(LE32, c + 29, 99); // < width * 4 and not a multiple of 4
        pushRaw(g.phys(c), CMD_SURFACE);
        assertStoppedThenRecovers("BAD_SURFACE");
    }

    @Test
    void surfaceCreatedTwice() throws Exception {
        g.surfaceCreate(4, 2, 2, -1, false);
        g.surfaceCreate(4, 2, 2, -1, false);
        rig.settle();
        assertStoppedThenRecovers("BAD_SURFACE");
    }

    @Test
    void primaryCreatedTwice() throws Exception {
        assertEquals(IO_STOPPED, g.createPrimary(16, 16, false));
        assertStoppedThenRecovers("BAD_SURFACE");
    }

    @Test
    void unknownIoPort() throws Exception {
        assertEquals(IO_STOPPED, g.io(999, 0));
        assertStoppedThenRecovers("BAD_IO");
    }

    @Test
    void memslotOverTheRomAndRam() throws Exception {
        g.shm.set(LE64, RAM + MEM_SLOT, 0L);
        g.shm.set(LE64, RAM + MEM_SLOT + 8, g.shm.byteSize());
        assertEquals(IO_STOPPED, g.io(IO_MEMSLOT_ADD, 2));
        assertStoppedThenRecovers("BAD_SLOT");
    }

    @Test
    void randomGarbageNeverHurtsTheBackend() throws Exception {
        Random r = new Random(8);
        long garbage = g.alloc(4096);
        for (int round = 0; round < 300; round++) {
            byte[] junk = new byte[4096];
            r.nextBytes(junk);
            java.lang.foreign.MemorySegment.copy(java.lang.foreign.MemorySegment.ofArray(junk), 0, g.shm, garbage, 4096);
            // a pointer into the garbage (often valid: then its fields are random), or random bits
            long phys = r.nextBoolean() ? g.phys(garbage + r.nextInt(4000)) : r.nextLong();
            int type = r.nextInt(7);
            if (r.nextBoolean()) g.push(r.nextInt(4) == 0, phys, type);
            else g.io(r.nextInt(30), r.nextInt(10));
            g.kick();
            if (round % 10 == 0) g.setup();
        }
        g.setup();
        assertEquals(IO_OK, g.createPrimary(8, 8, false));
        g.fill(0, 0, 0, 8, 8, 0x99, null);
        assertEquals(IO_OK, g.updateArea(0, 0, 0, 8, 8));
        assertEquals(0x99, g.primaryPixel(3, 3));
        assertEquals(1, rig.server.peerCount());
    }
}
