package dev.panamavgpu.testguest.hardening;

import static dev.panamavgpu.testguest.driver.Commands.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.testguest.driver.Commands;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.driver.Hdr;
import dev.panamavgpu.testguest.driver.Response;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * No response carries uninitialised bytes (the CVE-2021-3545 / CVE-2016-9845 pattern). The guest
 * driver fills every response buffer with 0xAA before offering it; every byte the device wrote that
 * is not a field it defines must be zero, and nothing past the used length may be written. Large
 * responses come first, so stale bytes of a reused buffer inside the back-end would show.
 */
class ResponseBytesTest {

    /** Which bytes of a response of this type carry defined content (the header fields always do). */
    private static BitSet defined(Response r) {
        BitSet d = new BitSet();
        d.set(0, 21); // type, flags, fence_id, ctx_id, ring_idx; 21..23 is padding
        switch (r.type()) {
            case RESP_OK_DISPLAY_INFO -> {
                for (int i = 0; i < 16; i++) {
                    int at = 24 + 24 * i;
                    if (r.u32(at + 16) != 0 || r.u32(at + 8) != 0) d.set(at, at + 24); // a reported pmode
                }
            }
            case RESP_OK_EDID -> {
                d.set(24, 28);
                d.set(32, 32 + (int) Math.min(r.u32(24), 1024));
            }
            case RESP_OK_RESOURCE_UUID -> d.set(24, 40);
            default -> { }
        }
        return d;
    }

    private static void assertClean(Response r, String what) {
        assertTrue(r.usedLength() >= 24, what + ": " + r);
        BitSet d = defined(r);
        byte[] b = r.buffer();
        for (int i = 0; i < r.usedLength(); i++) {
            if (!d.get(i) && b[i] != 0) fail(what + ": byte " + i + " is 0x" + Integer.toHexString(b[i] & 0xff) + " but defines nothing");
        }
        for (int i = r.usedLength(); i < b.length; i++) {
            if (b[i] != GpuDriver.FILL) fail(what + ": byte " + i + " beyond the used length " + r.usedLength() + " was written");
        }
    }

    @Test
    void everyResponseKindUnfencedAndFencedHasNoUndefinedByte() throws Exception {
        try (Backend backend = new Backend(); Vm vm = Vm.connect(backend.path)) {
            vm.drawAndShow(1, 64, 48, 1);
            GpuDriver.expect(RESP_OK_NODATA, vm.gpu.createResource(2, Vm.BGRX, 64, 64), "cursor resource");
            for (Hdr h : List.of(Hdr.NONE, new Hdr(Hdr.FLAG_FENCE, 0x1122334455667788L, 0x99, 0),
                    new Hdr(Hdr.FLAG_FENCE | Hdr.FLAG_INFO_RING_IDX, 42, 7, 3), new Hdr(0, 0xdeadbeefL, 5, 9))) {
                List<byte[]> requests = new ArrayList<>();
                requests.add(Commands.getEdid(h, 0));                      // 1056 bytes, mostly EDID data
                requests.add(Commands.getDisplayInfo(h));                  // 408 bytes over the EDID's
                requests.add(Commands.assignUuid(h, 1));
                requests.add(Commands.getEdid(h, 15));                     // no such output: error
                requests.add(Commands.getCapsetInfo(h, 0));                // no capsets: error
                requests.add(Commands.getCapset(h, 1, 1));
                requests.add(Commands.createResource2d(h, 1, Vm.BGRX, 8, 8)); // duplicate id
                requests.add(Commands.transfer(h, 1, 0, 0, 64, 48, 0));
                requests.add(Commands.setScanout(h, 16, 1, 0, 0, 64, 48));   // bad scanout id
                requests.add(Commands.flush(h, 1, 0, 0, 64, 48));
                requests.add(Commands.createResource2d(h, 3, 999, 8, 8));  // bad format
                requests.add(new byte[] {1, 2, 3});                        // shorter than a header
                requests.add(Commands.unref(h, 77));
                for (byte[] q : requests) {
                    Response r = vm.gpu.raw(q);
                    assertClean(r, String.format("request 0x%x with %s", q.length >= 4 ? q[0] & 0xff | (q[1] & 0xff) << 8 : -1, h));
                }
                for (Response r : List.of(vm.gpu.with(h).updateCursor(0, 3, 3, 2, 1, 1), vm.gpu.with(h).moveCursor(0, 9, 9, 2),
                        vm.gpu.with(h).updateCursor(9, 0, 0, 2, 0, 0))) {
                    assertClean(r, "cursor queue with " + h);
                }
            }
        }
    }
}
