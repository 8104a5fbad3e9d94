package dev.panamavgpu.testguest.check;

import static dev.panamavgpu.testguest.check.Expect.*;

import dev.panamavgpu.testguest.driver.Commands;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.driver.Hdr;
import dev.panamavgpu.testguest.driver.Response;

/** Checks on one virtio-gpu response: type, exact size, header echo rules, and nothing written past the end. */
public final class ResponseChecks {
    private ResponseChecks() {}

    /**
     * Asserts a complete, clean response: {@code type}, exactly {@code size} bytes used, the header echo rules
     * for {@code sent} (unfenced: flags/fence/ctx/ring all zero), zero header padding, and nothing written past
     * the used length (the rest of the buffer still holds the 0xAA fill).
     */
    public static Response assertResponse(int type, int size, Response r, Hdr sent) {
        assertEquals(size, r.usedLength(), () -> "used length of " + r);
        assertEquals(hex(type), hex(r.type()), () -> "response type (" + typeName(type) + " expected, got " + typeName(r.type()) + ")");
        if (sent.fenced()) {
            int expectFlags = 1 | (sent.flags() & 2);
            assertEquals(expectFlags, r.flags(), "response flags for a fenced request");
            assertEquals(sent.fenceId(), r.fenceId(), "fence_id echo");
            assertEquals(sent.ctxId(), r.ctxId(), "ctx_id echo");
            assertEquals((sent.flags() & 2) != 0 ? sent.ringIdx() : 0, r.ringIdx(), "ring_idx echo");
        } else {
            assertEquals(0, r.flags(), "response flags for an unfenced request");
            assertEquals(0, r.fenceId(), "fence_id of an unfenced response");
            assertEquals(0, r.ctxId(), "ctx_id of an unfenced response");
            assertEquals(0, r.ringIdx(), "ring_idx of an unfenced response");
        }
        assertArrayEquals(new byte[3], r.headerPadding(), "ctrl_hdr padding must be zero");
        assertUntouchedAfter(r, r.usedLength());
        return r;
    }

    public static Response assertResponse(int type, int size, Response r) {
        return assertResponse(type, size, r, Hdr.NONE);
    }

    public static Response assertNoData(Response r) {
        return assertResponse(Commands.RESP_OK_NODATA, 24, r);
    }

    public static Response assertError(int type, Response r) {
        return assertResponse(type, 24, r);
    }

    /** The device wrote nothing at all: used length 0 and every byte still 0xAA. */
    public static void assertEmptyCompletion(Response r) {
        assertEquals(0, r.usedLength(), () -> "used length of " + r);
        assertUntouchedAfter(r, 0);
    }

    public static void assertUntouchedAfter(Response r, int from) {
        byte[] b = r.buffer();
        for (int i = Math.max(0, from); i < b.length; i++) {
            if (b[i] != GpuDriver.FILL) {
                fail("byte " + i + " of the response buffer was written (0x" + Integer.toHexString(b[i] & 0xff)
                        + ") beyond the used length " + r.usedLength());
            }
        }
    }

    /** Every byte of {@code r}'s written part in [from, to) is zero. */
    public static void assertZero(Response r, int from, int to, String what) {
        byte[] b = r.buffer();
        for (int i = from; i < to; i++) {
            if (b[i] != 0) fail(what + ": byte " + i + " is 0x" + Integer.toHexString(b[i] & 0xff) + ", must be 0");
        }
    }

    public static String hex(int v) { return "0x" + Integer.toHexString(v); }
    public static String typeName(int v) { return Commands.name(v); }
}
