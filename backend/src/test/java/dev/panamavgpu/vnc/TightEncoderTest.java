package dev.panamavgpu.vnc;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.gpu.display.DamageRect;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import org.junit.jupiter.api.Test;

/** Tight's framing: compact lengths, and the cut into rectangles at most 2048 wide and 64 Ki pixels. */
class TightEncoderTest {
    static byte[] compact(int len) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        RfbOutput out = new RfbOutput(Channels.newChannel(b));
        TightEncoder.compactLength(out, len);
        out.flush();
        return b.toByteArray();
    }

    @Test
    void compactLengths() throws Exception {
        assertArrayEquals(new byte[] {0x7f}, compact(127));
        assertArrayEquals(new byte[] {(byte) 0x80, 0x01}, compact(128));
        assertArrayEquals(new byte[] {(byte) 0xff, 0x7f}, compact(16383));
        assertArrayEquals(new byte[] {(byte) 0x80, (byte) 0x80, 0x01}, compact(16384));
        assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff}, compact((1 << 22) - 1));
        assertThrows(IllegalArgumentException.class, () -> compact(1 << 22));
    }

    @Test
    void rectangleCounts() {
        try (TightEncoder t = new TightEncoder(1)) {
            assertEquals(1, t.rectCount(new DamageRect(0, 0, 256, 256)));
            assertEquals(2, t.rectCount(new DamageRect(0, 0, 256, 257)));
            assertEquals(2 * 64, t.rectCount(new DamageRect(0, 0, 4096, 2048)), "two columns of 2048, 32 rows each");
            assertEquals(1, t.rectCount(new DamageRect(0, 0, 1, 65536)));
            assertEquals(68 + 68 + 1, t.rectCount(new DamageRect(0, 0, 4097, 2160)), "2048 + 2048 + 1 wide");
        }
    }
}
