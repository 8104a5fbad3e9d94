package dev.panamavgpu.gpu.protocol;

import static dev.panamavgpu.gpu.protocol.VirtioGpuType.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamavgpu.gpu.protocol.DecodeResult.Decoded;
import dev.panamavgpu.gpu.protocol.DecodeResult.Rejected;
import dev.panamavgpu.gpu.protocol.GpuCommand.*;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class GpuCommandDecoderTest {
    private static final long MAX = 0xFFFF_FFFFL;

    private static GpuCommand decoded(MemorySegment s) {
        return assertInstanceOf(Decoded.class, GpuCommandDecoder.decode(s)).command();
    }

    private static Rejected rejected(MemorySegment s) {
        return assertInstanceOf(Rejected.class, GpuCommandDecoder.decode(s));
    }

    @Test
    void headerFieldsAreReadUnsigned() {
        MemorySegment s = Req.hdr(CMD_GET_DISPLAY_INFO, 3, -2L, 0xFFFF_FFFF, 0xFF).segment();
        Decoded d = assertInstanceOf(Decoded.class, GpuCommandDecoder.decode(s));
        assertEquals(new CtrlHdr(CMD_GET_DISPLAY_INFO, 3, -2L, MAX, 255), d.header());
        assertEquals(new GetDisplayInfo(), d.command());
    }

    @Test
    void getEdid() {
        assertEquals(new GetEdid(3), decoded(Req.hdr(CMD_GET_EDID).u32(3).u32(0).segment()));
    }

    @Test
    void resourceCreate2dKeepsHugeDimensionsUnsigned() {
        GpuCommand c = decoded(Req.hdr(CMD_RESOURCE_CREATE_2D).u32(7).u32(2).u32(MAX).u32(0x8000_0000L).segment());
        assertEquals(new ResourceCreate2d(7, 2, MAX, 0x8000_0000L), c);
        assertTrue(((ResourceCreate2d) c).width() > 0);
    }

    @Test
    void resourceUnrefDetachAndUuid() {
        assertEquals(new ResourceUnref(MAX), decoded(Req.hdr(CMD_RESOURCE_UNREF).u32(MAX).u32(0).segment()));
        assertEquals(new ResourceDetachBacking(5),
                decoded(Req.hdr(CMD_RESOURCE_DETACH_BACKING).u32(5).u32(0).segment()));
        assertEquals(new ResourceAssignUuid(6), decoded(Req.hdr(CMD_RESOURCE_ASSIGN_UUID).u32(6).u32(0).segment()));
    }

    @Test
    void setScanout() {
        GpuCommand c = decoded(Req.hdr(CMD_SET_SCANOUT).u32(1).u32(2).u32(1024).u32(768).u32(15).u32(9).segment());
        assertEquals(new SetScanout(new Rect(1, 2, 1024, 768), 15, 9), c);
    }

    @Test
    void resourceFlush() {
        GpuCommand c = decoded(Req.hdr(CMD_RESOURCE_FLUSH).u32(MAX).u32(0).u32(2).u32(3).u32(4).u32(0).segment());
        assertEquals(new ResourceFlush(new Rect(MAX, 0, 2, 3), 4), c);
    }

    @Test
    void transferToHost2dKeepsU64Offset() {
        GpuCommand c = decoded(Req.hdr(CMD_TRANSFER_TO_HOST_2D)
                .u32(0).u32(0).u32(64).u32(64).u64(0xFFFF_FFFF_FFFF_FFF0L).u32(11).u32(0).segment());
        assertEquals(new TransferToHost2d(new Rect(0, 0, 64, 64), 0xFFFF_FFFF_FFFF_FFF0L, 11), c);
    }

    @Test
    void capsetQueries() {
        assertEquals(new GetCapsetInfo(MAX), decoded(Req.hdr(CMD_GET_CAPSET_INFO).u32(MAX).u32(0).segment()));
        assertEquals(new GetCapset(2, 1), decoded(Req.hdr(CMD_GET_CAPSET).u32(2).u32(1).segment()));
    }

    @Test
    void cursorCommands() {
        assertEquals(new UpdateCursor(new CursorPos(0, 100, 200), 8, 3, 4),
                decoded(Req.hdr(CMD_UPDATE_CURSOR).u32(0).u32(100).u32(200).u32(0).u32(8).u32(3).u32(4).u32(0)
                        .segment()));
        assertEquals(new MoveCursor(new CursorPos(1, 5, 6), 0),
                decoded(Req.hdr(CMD_MOVE_CURSOR).u32(1).u32(5).u32(6).u32(0).u32(0).u32(99).u32(99).u32(0)
                        .segment()));
    }

    @Test
    void attachBackingEntries() {
        GpuCommand c = decoded(Req.hdr(CMD_RESOURCE_ATTACH_BACKING).u32(3).u32(2)
                .u64(0x1000).u32(4096).u32(0)
                .u64(-4096L).u32(MAX).u32(0xAAAA).segment());
        ResourceAttachBacking ab = assertInstanceOf(ResourceAttachBacking.class, c);
        assertEquals(3, ab.resourceId());
        assertEquals(List.of(new MemEntry(0x1000, 4096), new MemEntry(-4096L, MAX)), ab.entries());
        assertTrue(ab.entries().get(1).wrapsAround());
    }

    @Test
    void attachBackingWithZeroEntriesDecodes() {
        assertEquals(new ResourceAttachBacking(3, List.of()),
                decoded(Req.hdr(CMD_RESOURCE_ATTACH_BACKING).u32(3).u32(0).segment()));
    }

    @Test
    void attachBackingAtTheLimit() {
        Req r = Req.hdr(CMD_RESOURCE_ATTACH_BACKING).u32(1).u32(16384);
        r.zeros(16384 * 16);
        assertEquals(16384, ((ResourceAttachBacking) decoded(r.segment())).entries().size());
    }

    @ParameterizedTest
    @ValueSource(longs = {16385, 0x8000_0000L, 0xFFFF_FFFFL})
    void attachBackingTooManyEntriesRejectedWithoutAllocating(long nr) {
        Rejected r = rejected(Req.hdr(CMD_RESOURCE_ATTACH_BACKING).u32(1).u32(nr).segment());
        assertEquals(DecodeError.TOO_MANY_ENTRIES, r.error());
        assertEquals(RESP_ERR_INVALID_PARAMETER, r.response().code());
    }

    @Test
    void attachBackingEntriesMustBePresent() {
        Req r = Req.hdr(CMD_RESOURCE_ATTACH_BACKING).u32(1).u32(2).u64(0).u32(1).u32(0).u64(0).u32(1);
        // 32 + 16 + 12 bytes: second entry is 4 bytes short.
        Rejected rej = rejected(r.segment());
        assertEquals(DecodeError.TRUNCATED_ENTRIES, rej.error());
        assertEquals(CMD_RESOURCE_ATTACH_BACKING, rej.header().type());
    }

    @Test
    void shortHeaderGetsUnspecWithZeroHeader() {
        for (int len = 0; len < 24; len++) {
            Rejected r = rejected(Req.hdr(CMD_GET_DISPLAY_INFO, 1, 77, 1, 0).truncated(len));
            assertEquals(CtrlHdr.ZERO, r.header());
            assertEquals(DecodeError.SHORT_HEADER, r.error());
            assertEquals(RESP_ERR_UNSPEC, r.response().code());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {CMD_GET_EDID, CMD_RESOURCE_CREATE_2D, CMD_RESOURCE_UNREF, CMD_SET_SCANOUT,
            CMD_RESOURCE_FLUSH, CMD_TRANSFER_TO_HOST_2D, CMD_RESOURCE_ATTACH_BACKING, CMD_RESOURCE_DETACH_BACKING,
            CMD_RESOURCE_ASSIGN_UUID, CMD_GET_CAPSET_INFO, CMD_GET_CAPSET, CMD_UPDATE_CURSOR, CMD_MOVE_CURSOR})
    void shortBodyIsInvalidParameterAndKeepsTheHeader(int type) {
        long need = GpuCommandDecoder.bodySize(type);
        Req full = Req.hdr(type, VirtioGpu.FLAG_FENCE, 42, 0, 0).zeros((int) need - 24);
        assertInstanceOf(Decoded.class, GpuCommandDecoder.decode(full.segment()));
        for (int len = 24; len < need; len++) {
            Rejected r = rejected(full.truncated(len));
            assertEquals(DecodeError.SHORT_BODY, r.error());
            assertEquals(RESP_ERR_INVALID_PARAMETER, r.response().code());
            assertEquals(42, r.header().fenceId(), "fence id survives so the error can still be fenced");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, CMD_RESOURCE_CREATE_BLOB, CMD_SET_SCANOUT_BLOB,
            CMD_RESOURCE_MAP_BLOB, RESP_OK_NODATA, RESP_ERR_UNSPEC, 0x302, 0x7FFF_FFFF, 0xFFFF_FFFF})
    void otherTypesAreUnsupportedNotErrors(int type) {
        assertEquals(new Unsupported(type), decoded(Req.hdr(type).segment()));
        assertEquals(type, new Unsupported(type).wireType());
    }

    @Test
    void trailingBytesAreIgnored() {
        assertEquals(new ResourceUnref(4),
                decoded(Req.hdr(CMD_RESOURCE_UNREF).u32(4).u32(0).u32(0xDEAD).zeros(100).segment()));
    }

    @Test
    void readsFromANonZeroBasedSlice() {
        byte[] body = Req.hdr(CMD_RESOURCE_UNREF).u32(9).u32(0).bytes();
        byte[] padded = new byte[body.length + 3];
        System.arraycopy(body, 0, padded, 3, body.length);
        MemorySegment s = MemorySegment.ofArray(padded).asSlice(3);
        assertEquals(new ResourceUnref(9), decoded(s));
    }

    @Test
    void commandNamesForLogs() {
        assertEquals("CMD_RESOURCE_FLUSH", new ResourceFlush(Rect.EMPTY, 1).commandName());
        assertEquals("0x999", new Unsupported(0x999).commandName());
    }
}
