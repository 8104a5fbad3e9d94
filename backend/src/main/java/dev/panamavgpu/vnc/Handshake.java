package dev.panamavgpu.vnc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The server's half of the RFB handshake (RFC 6143 section 7.1-7.3): version (3.3, 3.7, 3.8; 3.5
 * as 3.3), security (None or VNC authentication, whichever the configuration allows), ClientInit.
 * ServerInit is sent by the caller, which knows the screen size.
 */
final class Handshake {
    static final int SEC_INVALID = 0, SEC_NONE = 1, SEC_VNC = 2;

    /** Why a viewer was turned away; its reason has been sent where the protocol allows. */
    static final class Refused extends IOException {
        Refused(String why) { super(why); }
    }

    /** The negotiated minor version (3, 7 or 8) and security type. */
    record Outcome(int minor, int security, boolean shared) {}

    private Handshake() {}

    static Outcome run(RfbInput in, RfbOutput out, VncAuth auth, boolean allowNone) throws IOException {
        out.bytes("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII)).flush();
        int minor = version(in.readFully(12));
        int type = auth != null ? SEC_VNC : SEC_NONE;
        if (type == SEC_NONE && !allowNone) throw new IllegalStateException("no security type allowed"); // VncConfig prevents this
        if (minor == 3) {
            out.u32(type).flush(); // 3.3: the server decides
        } else {
            out.u8(1).u8(type).flush();
            int chosen = in.readFully(1)[0] & 0xff;
            if (chosen != type) {
                fail(out, minor, "security type " + chosen + " not offered");
            }
        }
        if (type == SEC_VNC) {
            byte[] challenge = VncAuth.challenge();
            out.bytes(challenge).flush();
            byte[] answer = in.readFully(VncAuth.CHALLENGE_BYTES);
            if (!auth.accepts(challenge, answer)) fail(out, minor, "authentication failed");
            out.u32(0).flush();
        } else if (minor == 8) {
            out.u32(0).flush(); // 3.8 sends SecurityResult for None too; 3.3 and 3.7 do not
        }
        boolean shared = (in.readFully(1)[0] & 0xff) != 0;
        return new Outcome(minor, type, shared);
    }

    private static void fail(RfbOutput out, int minor, String why) throws IOException {
        out.u32(1);
        if (minor == 8) {
            byte[] r = why.getBytes(StandardCharsets.UTF_8);
            out.u32(r.length).bytes(r);
        }
        out.flush();
        throw new Refused(why);
    }

    /** "RFB 003.00N\n" to N; what RFB allows a viewer to answer with. */
    static int version(byte[] v) throws IOException {
        String s = new String(v, StandardCharsets.US_ASCII);
        if (!s.matches("RFB \\d{3}\\.\\d{3}\n")) throw new Refused("not an RFB version: " + s.strip());
        int major = Integer.parseInt(s.substring(4, 7)), minor = Integer.parseInt(s.substring(8, 11));
        if (major != 3 || minor < 3) throw new Refused("RFB version " + s.strip() + " not served");
        if (minor >= 8) return 8;
        return minor == 7 ? 7 : 3; // 3.5 (and other odd ones below 3.7) as 3.3
    }

    /** Tells a viewer we cannot take it (too many viewers), in the way its version allows. */
    static void turnAway(RfbInput in, RfbOutput out, String why) throws IOException {
        out.bytes("RFB 003.008\n".getBytes(StandardCharsets.US_ASCII)).flush();
        int minor = version(in.readFully(12));
        byte[] r = why.getBytes(StandardCharsets.UTF_8);
        if (minor == 3) out.u32(SEC_INVALID).u32(r.length).bytes(r).flush();
        else out.u8(0).u32(r.length).bytes(r).flush();
    }
}
