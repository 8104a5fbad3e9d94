package dev.panamavgpu.gpu.protocol;

import static dev.panamavgpu.gpu.protocol.VirtioGpuType.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.panamavgpu.gpu.protocol.DecodeResult.Decoded;
import dev.panamavgpu.gpu.protocol.DecodeResult.Rejected;
import dev.panamavgpu.gpu.protocol.GpuCommand.*;
import org.junit.jupiter.api.Test;

/** The 3D requests: struct sizes as in linux/virtio_gpu.h, every field unsigned, SUBMIT_3D bounded. */
class Decoder3dTest {
    private static GpuCommand decoded(Req r) {
        return assertInstanceOf(Decoded.class, GpuCommandDecoder.decode(r.segment())).command();
    }

    @Test
    void structSizes() {
        assertEquals(96, Cmd3d.CTX_CREATE_SIZE);
        assertEquals(32, Cmd3d.CTX_RESOURCE_SIZE);
        assertEquals(72, Cmd3d.CREATE_3D_SIZE);
        assertEquals(72, Cmd3d.TRANSFER_SIZE);
        assertEquals(48, Cmd3d.TRANSFER_OFFSET);
        assertEquals(56, Cmd3d.TRANSFER_RESOURCE_ID);
        assertEquals(32, Cmd3d.SUBMIT_SIZE);
        assertEquals(24, Box3d.SIZE);
    }

    @Test
    void ctxCreateTakesTheIdFromTheHeaderAndAPrintableName() {
        Req r = Req.hdr(CMD_CTX_CREATE, 0, 0, 0xFFFFFFFF, 0).u32(5).u32(0x102).u8('a').u8(1).u8('b').u8('c').u8('d').zeros(59);
        assertEquals(new CtxCreate(0xFFFFFFFFL, 0x102, "a?bcd"), decoded(r));
        // nlen above 64 reads 64 bytes at most
        Req x = Req.hdr(CMD_CTX_CREATE, 0, 0, 1, 0).u32(1000).u32(0);
        for (int k = 0; k < 64; k++) x.u8('x');
        assertEquals(new CtxCreate(1, 0, "x".repeat(64)), decoded(x.u8('y').zeros(8)));
    }

    @Test
    void create3dAndTransferFieldsAreUnsigned() {
        Req c = Req.hdr(CMD_RESOURCE_CREATE_3D);
        for (long v : new long[] {7, 2, 0xFFFFFFFFL, 2, 640, 480, 1, 1, 0, 0, 0x80000000L}) c.u32(v);
        c.u32(0);
        assertEquals(new ResourceCreate3d(7, 2, 0xFFFFFFFFL, 2, 640, 480, 1, 1, 0, 0, 0x80000000L), decoded(c));
        Req t = Req.hdr(CMD_TRANSFER_FROM_HOST_3D, 0, 0, 3, 0).u32(1).u32(2).u32(0).u32(0xFFFFFFFFL).u32(4).u32(1)
                .u64(-1L).u32(9).u32(0).u32(256).u32(0);
        assertEquals(new Transfer3d(false, 3, new Box3d(1, 2, 0, 0xFFFFFFFFL, 4, 1), -1L, 9, 0, 256, 0), decoded(t));
    }

    @Test
    void submitCopiesItsStreamAndIsBounded() {
        GpuCommand s = decoded(Req.hdr(CMD_SUBMIT_3D, 0, 0, 4, 0).u32(8).u32(0).u32(0x11223344).u32(5).u32(0xDEAD));
        assertInstanceOf(Submit3d.class, s);
        assertEquals(4, ((Submit3d) s).ctxId());
        assertArrayEquals(new byte[] {0x44, 0x33, 0x22, 0x11, 5, 0, 0, 0}, ((Submit3d) s).commands(), "exactly size bytes");
        Rejected big = assertInstanceOf(Rejected.class, GpuCommandDecoder.decode(Req.hdr(CMD_SUBMIT_3D).u32(256 * 1024 + 4).u32(0).segment()));
        assertEquals(DecodeError.SUBMIT_TOO_LARGE, big.error());
        assertEquals(RESP_ERR_INVALID_PARAMETER, big.response().code());
        Rejected lie = assertInstanceOf(Rejected.class, GpuCommandDecoder.decode(Req.hdr(CMD_SUBMIT_3D).u32(12).u32(0).u32(1).segment()));
        assertEquals(DecodeError.TRUNCATED_SUBMIT, lie.error());
    }

    @Test
    void shortBodiesAreRefused() {
        for (int type : new int[] {CMD_CTX_CREATE, CMD_CTX_ATTACH_RESOURCE, CMD_RESOURCE_CREATE_3D, CMD_TRANSFER_TO_HOST_3D, CMD_SUBMIT_3D}) {
            Rejected r = assertInstanceOf(Rejected.class, GpuCommandDecoder.decode(Req.hdr(type).u32(1).segment()));
            assertEquals(DecodeError.SHORT_BODY, r.error(), name(type));
        }
        assertEquals(new CtxDestroy(6), decoded(Req.hdr(CMD_CTX_DESTROY, 0, 0, 6, 0)));
        assertEquals(new CtxResource(true, 2, 8), decoded(Req.hdr(CMD_CTX_ATTACH_RESOURCE, 0, 0, 2, 0).u32(8).u32(0)));
        assertEquals(new CtxResource(false, 2, 8), decoded(Req.hdr(CMD_CTX_DETACH_RESOURCE, 0, 0, 2, 0).u32(8).u32(0)));
    }
}
