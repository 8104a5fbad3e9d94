package dev.panamavgpu.vnc;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * VNC authentication (security type 2): the viewer DES-encrypts a 16-byte random challenge with
 * the password. RFB takes the lowest bit of each key byte as DES's first bit, so the key's bytes
 * are bit-reversed before the JDK's DES (no DES of our own). Only the first 8 password bytes count.
 */
public final class VncAuth {
    public static final int CHALLENGE_BYTES = 16;
    private final byte[] key = new byte[8];

    public VncAuth(byte[] password) {
        for (int i = 0; i < key.length && i < password.length; i++) key[i] = (byte) (Integer.reverse(password[i] & 0xff) >>> 24);
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    public static byte[] challenge() {
        byte[] c = new byte[CHALLENGE_BYTES];
        RANDOM.nextBytes(c);
        return c;
    }

    /** What a viewer knowing the password answers to {@code challenge}. */
    public byte[] response(byte[] challenge) {
        try {
            Cipher des = Cipher.getInstance("DES/ECB/NoPadding");
            des.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "DES"));
            return des.doFinal(challenge);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no DES/ECB/NoPadding", e);
        }
    }

    /** Constant-time comparison of the viewer's answer with ours. */
    public boolean accepts(byte[] challenge, byte[] answer) {
        return MessageDigest.isEqual(response(challenge), answer);
    }
}
