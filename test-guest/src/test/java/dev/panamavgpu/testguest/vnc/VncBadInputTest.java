package dev.panamavgpu.testguest.vnc;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.testguest.vncbench.RfbViewer;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Viewers that break the protocol are dropped, alone: the guest and a well-behaved viewer go on.
 * (The message decoder's bounds themselves: backend ClientMessageDecoderTest and the fuzz target.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VncBadInputTest {
    /** Waits until the server closes {@code v}'s connection. */
    static void assertDropped(RfbViewer v, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (System.nanoTime() < deadline) v.readMessage(); // whatever it still gets, then EOF
            fail(what + ": still connected");
        } catch (EOFException | java.nio.channels.ClosedChannelException expected) {
            // dropped
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("reset")) throw e;
        }
    }

    /** Reads raw bytes (the greeting, a reason) until the server closes the connection. */
    static void assertClosed(RfbViewer v, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        ByteBuffer b = ByteBuffer.allocate(4096);
        while (System.nanoTime() < deadline) {
            b.clear();
            if (v.channel().read(b) < 0) return;
        }
        fail(what + ": still connected");
    }

    @Test
    void protocolBreakersAreDroppedAndAWellBehavedViewerGoesOn() throws Exception {
        try (VncRig r = new VncRig(VncRig.unixNoAuth())) {
            VncViewerTest.draw(r.rig.gpu(), 1, VncViewerTest.B8G8R8X8, VncViewerTest.W, VncViewerTest.H, 1);
            try (RfbViewer good = r.viewer().handshake(8, null)) {
                good.setEncodings(7).requestAll(false);
                assertEquals(0, VncViewerTest.awaitPicture(good, VncViewerTest.W, VncViewerTest.H, (x, y) -> VncViewerTest.picture(x, y, 1)));
                byte[][] breakers = {
                        {7, 0, 0, 0},                                                         // unknown message type
                        ByteBuffer.allocate(8).put((byte) 6).put(new byte[3]).putInt((1 << 20) + 1).array(), // cut text past 1 MiB
                        ByteBuffer.allocate(4).put((byte) 2).put((byte) 0).putShort((short) 4000).array(),   // 4000 encodings
                        ByteBuffer.allocate(20).put((byte) 0).put(new byte[3]).put((byte) 24).put((byte) 24).put((byte) 0).put((byte) 1)
                                .putShort((short) 255).putShort((short) 255).putShort((short) 255).put((byte) 16).put((byte) 8).put((byte) 0).array(), // 24 bpp
                        {(byte) 255, 1, 0, 0},                                                 // QEMU audio
                };
                for (byte[] b : breakers) {
                    try (RfbViewer bad = r.viewer().handshake(8, null)) {
                        bad.write(b);
                        assertDropped(bad, "breaker " + b[0]);
                    }
                }
                try (RfbViewer v = r.viewer()) { // not RFB at all
                    v.channel().write(ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                    assertClosed(v, "HTTP");
                }
                // the guest draws on, the good viewer still sees it exactly
                VncViewerTest.draw(r.rig.gpu(), 2, VncViewerTest.B8G8R8X8, VncViewerTest.W, VncViewerTest.H, 2);
                good.requestAll(true);
                assertEquals(0, VncViewerTest.awaitPicture(good, VncViewerTest.W, VncViewerTest.H, (x, y) -> VncViewerTest.picture(x, y, 2)));
                assertEquals(1, r.vnc.viewerCount());
            }
        }
    }

    @Test
    void aConnectionThatNeverFinishesItsHandshakeIsDropped() throws Exception {
        try (VncRig r = new VncRig(VncRig.unixNoAuth().withHandshakeTimeout(Duration.ofMillis(500)))) {
            try (RfbViewer silent = r.viewer()) {
                long t0 = System.nanoTime();
                assertClosed(silent, "silent");
                assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(5));
            }
            assertEquals(0, r.vnc.viewerCount());
        }
    }
}
