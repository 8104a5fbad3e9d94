package dev.panamavgpu.vnc;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * VNC authentication. The bit-reversed-key DES was checked against a viewer nobody here wrote
 * (gvnccapture, in the end-to-end tests); the vector below pins it: for a key byte 0x01 the DES
 * key byte is 0x80, and so on.
 */
class VncAuthTest {
    @Test
    void theKeyIsBitReversedAndOnlyEightBytesCount() {
        byte[] challenge = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
        byte[] a = new VncAuth("password".getBytes(StandardCharsets.US_ASCII)).response(challenge);
        byte[] b = new VncAuth("password-longer".getBytes(StandardCharsets.US_ASCII)).response(challenge);
        assertArrayEquals(a, b, "only the first 8 bytes count");
        assertEquals(16, a.length);
        byte[] c = new VncAuth("pass".getBytes(StandardCharsets.US_ASCII)).response(challenge);
        byte[] d = new VncAuth("pass\0\0\0\0".getBytes(StandardCharsets.US_ASCII)).response(challenge);
        assertArrayEquals(c, d, "shorter passwords are zero-padded");
        // ECB: both halves are encrypted alone
        byte[] twice = new VncAuth("password".getBytes(StandardCharsets.US_ASCII))
                .response(HexFormat.of().parseHex("00112233445566770011223344556677"));
        assertArrayEquals(java.util.Arrays.copyOf(twice, 8), java.util.Arrays.copyOfRange(twice, 8, 16));
    }

    @Test
    void acceptsOnlyTheRightAnswer() {
        VncAuth auth = new VncAuth("secret12".getBytes(StandardCharsets.US_ASCII));
        byte[] ch = VncAuth.challenge();
        assertTrue(auth.accepts(ch, auth.response(ch)));
        byte[] wrong = auth.response(ch);
        wrong[15] ^= 1;
        assertFalse(auth.accepts(ch, wrong));
        assertFalse(auth.accepts(ch, new byte[3]));
        assertFalse(new VncAuth("secret13".getBytes(StandardCharsets.US_ASCII)).accepts(ch, auth.response(ch)));
    }
}
