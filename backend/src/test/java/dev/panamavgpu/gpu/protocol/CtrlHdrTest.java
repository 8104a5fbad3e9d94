package dev.panamavgpu.gpu.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CtrlHdrTest {

    @Test
    void roundTripWritesZeroPadding() {
        byte[] buf = new byte[24];
        Arrays.fill(buf, (byte) 0xAA);
        CtrlHdr h = new CtrlHdr(0x1101, 3, -1L, 0xFFFF_FFFFL, 255);
        h.write(MemorySegment.ofArray(buf), 0);
        assertEquals(h, CtrlHdr.read(MemorySegment.ofArray(buf), 0));
        assertArrayEquals(new byte[3], Arrays.copyOfRange(buf, 21, 24));
        assertArrayEquals(Req.hdr(0x1101, 3, -1L, -1, 255).bytes(), buf);
    }

    @Test
    void validatesRanges() {
        assertThrows(IllegalArgumentException.class, () -> new CtrlHdr(0, 0, 0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new CtrlHdr(0, 0, 0, 0, 256));
    }

    @Test
    void flagHelpers() {
        CtrlHdr h = new CtrlHdr(0, VirtioGpu.FLAG_FENCE | VirtioGpu.FLAG_INFO_RING_IDX, 0, 0, 0);
        assertEquals(true, h.isFenced());
        assertEquals(true, h.hasRingIdx());
        assertEquals(false, CtrlHdr.ZERO.isFenced());
    }

    @Test
    void gpuConfigRoundTrip() {
        byte[] buf = new byte[16];
        new GpuConfig(1, 0, 16, 2).write(MemorySegment.ofArray(buf), 0);
        assertEquals(16, Req.u32At(buf, 8));
        assertEquals(2, Req.u32At(buf, 12));
        assertEquals(new GpuConfig(1, 0, 16, 2), GpuConfig.read(MemorySegment.ofArray(buf), 0));
    }

    @Test
    void memEntryAndCursorPosWriteZeroPadding() {
        byte[] buf = new byte[16];
        Arrays.fill(buf, (byte) 0xAA);
        new MemEntry(0x1234, 10).write(MemorySegment.ofArray(buf), 0);
        assertEquals(0, Req.u32At(buf, 12));
        Arrays.fill(buf, (byte) 0xAA);
        new CursorPos(1, 2, 3).write(MemorySegment.ofArray(buf), 0);
        assertEquals(0, Req.u32At(buf, 12));
        assertEquals(new CursorPos(1, 2, 3), CursorPos.read(MemorySegment.ofArray(buf), 0));
    }

    @Test
    void memEntryWrap() {
        assertEquals(false, new MemEntry(0x1000, 0xFFFF_FFFFL).wrapsAround());
        assertEquals(true, new MemEntry(-4096L, 4096).wrapsAround(), "exclusive end 2^64 is not a u64");
        assertEquals(false, new MemEntry(-4096L, 4095).wrapsAround());
        assertEquals(true, new MemEntry(-4096L, 4097).wrapsAround());
    }
}
