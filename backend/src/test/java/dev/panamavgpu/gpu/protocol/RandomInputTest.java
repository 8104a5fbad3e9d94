package dev.panamavgpu.gpu.protocol;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Guest- and peer-controlled bytes must never make the decoders throw. Fixed seeds keep failures reproducible. */
class RandomInputTest {
    private static final int ITERATIONS = 100_000;
    private static final int MAX_LENGTH = 600;

    private static final int[] GPU_TYPES = {
            VirtioGpuType.CMD_GET_DISPLAY_INFO, VirtioGpuType.CMD_RESOURCE_CREATE_2D, VirtioGpuType.CMD_RESOURCE_UNREF,
            VirtioGpuType.CMD_SET_SCANOUT, VirtioGpuType.CMD_RESOURCE_FLUSH, VirtioGpuType.CMD_TRANSFER_TO_HOST_2D,
            VirtioGpuType.CMD_RESOURCE_ATTACH_BACKING, VirtioGpuType.CMD_RESOURCE_DETACH_BACKING,
            VirtioGpuType.CMD_GET_CAPSET_INFO, VirtioGpuType.CMD_GET_CAPSET, VirtioGpuType.CMD_GET_EDID,
            VirtioGpuType.CMD_RESOURCE_ASSIGN_UUID, VirtioGpuType.CMD_RESOURCE_CREATE_BLOB,
            VirtioGpuType.CMD_UPDATE_CURSOR, VirtioGpuType.CMD_MOVE_CURSOR, VirtioGpuType.CMD_SUBMIT_3D};

    @Test
    void gpuCommandDecoderNeverThrows() {
        Random rnd = new Random(0x5eed_0001L);
        int decoded = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] b = new byte[rnd.nextInt(MAX_LENGTH + 1)];
            rnd.nextBytes(b);
            // Half the inputs get a real command type so decoding goes past the header.
            if (b.length >= 4 && rnd.nextBoolean()) {
                int t = GPU_TYPES[rnd.nextInt(GPU_TYPES.length)];
                b[0] = (byte) t;
                b[1] = (byte) (t >>> 8);
                b[2] = 0;
                b[3] = 0;
                // Small nr_entries now and then, so ATTACH_BACKING sometimes succeeds.
                if (t == VirtioGpuType.CMD_RESOURCE_ATTACH_BACKING && b.length >= 32 && rnd.nextBoolean()) {
                    b[28] = (byte) rnd.nextInt(40);
                    b[29] = 0;
                    b[30] = 0;
                    b[31] = 0;
                }
            }
            MemorySegment s = MemorySegment.ofArray(b);
            DecodeResult r = assertDoesNotThrow(() -> GpuCommandDecoder.decode(s), "input #" + i);
            assertNotNull(r.header());
            if (r instanceof DecodeResult.Decoded d) {
                decoded++;
                assertEquals(d.header().type(), d.command().wireType());
            } else if (r instanceof DecodeResult.Rejected rej) {
                // The rejection must itself be answerable.
                MemorySegment out = MemorySegment.ofArray(new byte[24]);
                assertTrue(GpuResponseEncoder.encode(rej.response(), rej.header(), out).isPresent());
            }
        }
        assertTrue(decoded > ITERATIONS / 4, "random inputs should reach the command decoders: " + decoded);
    }

    @Test
    void displayReplyParserNeverThrows() {
        Random rnd = new Random(0x5eed_0002L);
        int[] requests = {1, 3, 10, 11, 2, 8, 0};
        long[] sizes = {8, 408, 0, 1056, 0, 20, 0xFFFF_FFFFL};
        int replies = 0;
        DisplayReplyParser longLived = new DisplayReplyParser();
        for (int i = 0; i < ITERATIONS; i++) {
            byte[] b = new byte[rnd.nextInt(MAX_LENGTH + 1)];
            rnd.nextBytes(b);
            // Often start with a plausible header so payload parsing is exercised too.
            if (b.length >= 12 && rnd.nextInt(4) != 0) {
                int k = rnd.nextInt(requests.length);
                MemorySegment s = MemorySegment.ofArray(b);
                s.set(Wire.NE32, 0, requests[k]);
                s.set(Wire.NE32, 4, rnd.nextInt(8) == 0 ? rnd.nextInt() : DisplayRequest.FLAG_REPLY);
                s.set(Wire.NE32, 8, (int) (rnd.nextInt(8) == 0 ? rnd.nextInt() : sizes[k]));
            }
            MemorySegment chunk = MemorySegment.ofArray(b);
            DisplayReplyParser fresh = new DisplayReplyParser();
            List<DisplayReply> r = assertDoesNotThrow(() -> fresh.feed(chunk), "input #" + i);
            replies += (int) r.stream().filter(x -> !(x instanceof DisplayReply.ProtocolError)).count();
            // A long-lived parser sees the inputs as one stream cut into random chunks; reset after failures.
            assertDoesNotThrow(() -> longLived.feed(chunk));
            if (longLived.failure() != null) {
                longLived.reset();
            }
        }
        assertTrue(replies > 0, "some random inputs should parse as replies");
    }
}
