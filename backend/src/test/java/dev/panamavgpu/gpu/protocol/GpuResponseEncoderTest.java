package dev.panamavgpu.gpu.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class GpuResponseEncoderTest {
    private static final byte POISON = (byte) 0xAA;
    private static final CtrlHdr UNFENCED = new CtrlHdr(VirtioGpuType.CMD_GET_DISPLAY_INFO, 0, 99, 5, 3);

    /** Encodes into a poisoned buffer with slack and returns the whole buffer. */
    private static byte[] encode(GpuResponse r, CtrlHdr request, int expectedSize) {
        byte[] buf = new byte[expectedSize + 64];
        Arrays.fill(buf, POISON);
        OptionalInt n = GpuResponseEncoder.encode(r, request, MemorySegment.ofArray(buf));
        assertEquals(OptionalInt.of(expectedSize), n);
        assertEquals(expectedSize, GpuResponseEncoder.size(r));
        for (int i = expectedSize; i < buf.length; i++) {
            assertEquals(POISON, buf[i], "byte " + i + " past the response was touched");
        }
        return buf;
    }

    /** Expected bytes built independently: zeros with the given little-endian u32 fields. */
    private static byte[] expected(int size, int... offsetValuePairs) {
        byte[] b = new byte[size];
        for (int i = 0; i < offsetValuePairs.length; i += 2) {
            int off = offsetValuePairs[i];
            int v = offsetValuePairs[i + 1];
            for (int k = 0; k < 4; k++) {
                b[off + k] = (byte) (v >>> (8 * k));
            }
        }
        return b;
    }

    private static byte[] head(byte[] buf, int n) {
        return Arrays.copyOf(buf, n);
    }

    @Test
    void okNoDataUnfencedHasZeroFenceFields() {
        byte[] buf = encode(GpuResponse.OK_NODATA, UNFENCED, 24);
        assertArrayEquals(expected(24, 0, 0x1100), head(buf, 24));
    }

    @Test
    void fencedRequestEchoesFenceAndCtx() {
        CtrlHdr req = new CtrlHdr(VirtioGpuType.CMD_RESOURCE_FLUSH, VirtioGpu.FLAG_FENCE, 0x1122334455667788L,
                0xFFFF_FFFFL, 7);
        byte[] buf = encode(GpuResponse.OK_NODATA, req, 24);
        assertEquals(0x1100, Req.u32At(buf, 0));
        assertEquals(VirtioGpu.FLAG_FENCE, Req.u32At(buf, 4));
        assertEquals(0x1122334455667788L, Req.u64At(buf, 8));
        assertEquals(-1, Req.u32At(buf, 16));
        assertEquals(0, buf[20], "ring_idx only echoed with FLAG_INFO_RING_IDX");
        assertArrayEquals(new byte[3], Arrays.copyOfRange(buf, 21, 24));
    }

    @Test
    void ringIdxEchoedWithInfoRingIdx() {
        CtrlHdr req = new CtrlHdr(VirtioGpuType.CMD_RESOURCE_FLUSH,
                VirtioGpu.FLAG_FENCE | VirtioGpu.FLAG_INFO_RING_IDX | 0x80, 5, 1, 200);
        byte[] buf = encode(GpuResponse.ERR_UNSPEC, req, 24);
        assertEquals(0x1200, Req.u32At(buf, 0));
        assertEquals(3, Req.u32At(buf, 4), "unknown request flag bits are not echoed");
        assertEquals(200, buf[20] & 0xFF);
    }

    @Test
    void ringIdxFlagWithoutFenceIsNotEchoed() {
        CtrlHdr req = new CtrlHdr(1, VirtioGpu.FLAG_INFO_RING_IDX, 5, 1, 200);
        assertArrayEquals(expected(24, 0, 0x1205), head(encode(GpuResponse.ERR_INVALID_PARAMETER, req, 24), 24));
    }

    @Test
    void displayInfoZeroesUnusedPmodes() {
        GpuResponse r = new GpuResponse.OkDisplayInfo(List.of(
                DisplayInfoEntry.enabled(1280, 800),
                new DisplayInfoEntry(new Rect(1, 2, 3, 4), false, 0x55)));
        byte[] want = expected(408, 0, 0x1101,
                24 + 8, 1280, 24 + 12, 800, 24 + 16, 1,
                48, 1, 52, 2, 56, 3, 60, 4, 68, 0x55);
        assertArrayEquals(want, head(encode(r, UNFENCED, 408), 408));
    }

    @Test
    void displayInfoDecodesBack() {
        List<DisplayInfoEntry> in = new ArrayList<>(Collections.nCopies(16, DisplayInfoEntry.DISABLED));
        in.set(15, DisplayInfoEntry.enabled(0xFFFF_FFFFL, 1));
        byte[] buf = encode(new GpuResponse.OkDisplayInfo(in), UNFENCED, 408);
        assertEquals(in, RespDisplayInfo.readPmodes(MemorySegment.ofArray(buf), 0));
    }

    @Test
    void displayInfoRejectsMoreThan16() {
        assertThrows(IllegalArgumentException.class, () -> new GpuResponse.OkDisplayInfo(
                Collections.nCopies(17, DisplayInfoEntry.DISABLED)));
    }

    @Test
    void edidWritesSizeAndZeroTail() {
        byte[] edid = new byte[128];
        Arrays.fill(edid, (byte) 0x11);
        byte[] buf = encode(new GpuResponse.OkEdid(edid), UNFENCED, 1056);
        byte[] want = expected(1056, 0, 0x1104, 24, 128);
        System.arraycopy(edid, 0, want, 32, 128);
        assertArrayEquals(want, head(buf, 1056));
    }

    @Test
    void edidLimits() {
        assertEquals(1024, new GpuResponse.OkEdid(new byte[1024]).size());
        assertThrows(IllegalArgumentException.class, () -> new GpuResponse.OkEdid(new byte[1025]));
    }

    @Test
    void resourceUuid() {
        byte[] uuid = new byte[16];
        for (int i = 0; i < 16; i++) {
            uuid[i] = (byte) (i + 1);
        }
        byte[] buf = encode(new GpuResponse.OkResourceUuid(uuid), UNFENCED, 40);
        byte[] want = expected(40, 0, 0x1105);
        System.arraycopy(uuid, 0, want, 24, 16);
        assertArrayEquals(want, head(buf, 40));
        assertThrows(IllegalArgumentException.class, () -> new GpuResponse.OkResourceUuid(new byte[15]));
    }

    @Test
    void capsetInfoPaddingIsZero() {
        // CVE-2021-3545: the trailing padding (and all fields for an unknown index) must not leak.
        byte[] buf = encode(new GpuResponse.OkCapsetInfo(1, 1, 308), UNFENCED, 40);
        assertArrayEquals(expected(40, 0, 0x1102, 24, 1, 28, 1, 32, 308), head(buf, 40));
        byte[] unknown = encode(new GpuResponse.OkCapsetInfo(0, 0, 0), UNFENCED, 40);
        assertArrayEquals(expected(40, 0, 0x1102), head(unknown, 40));
    }

    @Test
    void capsetData() {
        byte[] data = {1, 2, 3, 4, 5};
        byte[] buf = encode(new GpuResponse.OkCapset(data), UNFENCED, 29);
        byte[] want = expected(29, 0, 0x1103);
        System.arraycopy(data, 0, want, 24, 5);
        assertArrayEquals(want, head(buf, 29));
    }

    @Test
    void everyErrorIsABareHeader() {
        for (int code = 0x1200; code <= 0x1205; code++) {
            assertArrayEquals(expected(24, 0, code), head(encode(new GpuResponse.Err(code), UNFENCED, 24), 24));
        }
    }

    @Test
    void errRejectsNonErrorCodes() {
        assertThrows(IllegalArgumentException.class, () -> new GpuResponse.Err(0x1100));
        assertThrows(IllegalArgumentException.class, () -> new GpuResponse.Err(0));
    }

    @Test
    void tooSmallOutputWritesNothing() {
        for (GpuResponse r : List.of(GpuResponse.OK_NODATA, new GpuResponse.OkEdid(new byte[8]),
                new GpuResponse.OkDisplayInfo(List.of()), new GpuResponse.OkCapset(new byte[100]))) {
            int size = (int) GpuResponseEncoder.size(r);
            byte[] buf = new byte[size - 1];
            Arrays.fill(buf, POISON);
            assertTrue(GpuResponseEncoder.encode(r, UNFENCED, MemorySegment.ofArray(buf)).isEmpty());
            byte[] untouched = new byte[size - 1];
            Arrays.fill(untouched, POISON);
            assertArrayEquals(untouched, buf);
        }
        assertTrue(GpuResponseEncoder.encode(GpuResponse.OK_NODATA, UNFENCED, MemorySegment.NULL).isEmpty());
    }

    @Test
    void responsesAreImmutableValues() {
        byte[] edid = {1, 2, 3};
        GpuResponse.OkEdid r = new GpuResponse.OkEdid(edid);
        edid[0] = 9;
        r.edid()[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, r.edid());
        assertEquals(new GpuResponse.OkEdid(new byte[] {1, 2, 3}), r);
        assertNotEquals(new GpuResponse.OkEdid(new byte[] {1, 2}), r);
    }

    @Test
    void wireTypes() {
        assertEquals(VirtioGpuType.RESP_OK_NODATA, GpuResponse.OK_NODATA.wireType());
        assertEquals(VirtioGpuType.RESP_OK_DISPLAY_INFO, new GpuResponse.OkDisplayInfo(List.of()).wireType());
        assertEquals(VirtioGpuType.RESP_OK_EDID, new GpuResponse.OkEdid(new byte[0]).wireType());
        assertEquals(VirtioGpuType.RESP_OK_RESOURCE_UUID, new GpuResponse.OkResourceUuid(new byte[16]).wireType());
        assertEquals(VirtioGpuType.RESP_OK_CAPSET_INFO, new GpuResponse.OkCapsetInfo(0, 0, 0).wireType());
        assertEquals(VirtioGpuType.RESP_OK_CAPSET, new GpuResponse.OkCapset(new byte[0]).wireType());
        assertEquals(VirtioGpuType.RESP_ERR_OUT_OF_MEMORY, GpuResponse.ERR_OUT_OF_MEMORY.wireType());
    }

    @Test
    void rejectedDecodeAnswersThroughTheEncoder() {
        byte[] req = Req.hdr(VirtioGpuType.CMD_RESOURCE_UNREF, VirtioGpu.FLAG_FENCE, 8, 0, 0).bytes();
        DecodeResult.Rejected rej = (DecodeResult.Rejected) GpuCommandDecoder.decode(MemorySegment.ofArray(req));
        byte[] buf = encode(rej.response(), rej.header(), 24);
        assertEquals(VirtioGpuType.RESP_ERR_INVALID_PARAMETER, Req.u32At(buf, 0));
        assertEquals(VirtioGpu.FLAG_FENCE, Req.u32At(buf, 4));
        assertEquals(8, Req.u64At(buf, 8));
    }
}
