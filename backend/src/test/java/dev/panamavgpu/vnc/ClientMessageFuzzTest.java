package dev.panamavgpu.vnc;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.panamavgpu.gpu.display.DamageRect;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target 5: what a VNC viewer sends after the handshake. The input is the byte stream; it goes
 * (a) through {@link ClientMessageDecoder} over the whole buffer and (b) through
 * {@link ClientMessageReader} as the viewer's reader thread reads it, from a channel that returns it
 * in pieces whose sizes come from the input itself. Every pixel format it accepts is then used to
 * encode a small frame in Raw and Tight (copy and palette filters), and every SetEncodings becomes settings.
 *
 * <p>Oracles: nothing but the reader's ProtocolError (or the end of the stream) escapes; NeedMore
 * always asks for more than there is and at most {@link ClientMessageDecoder#MAX_MESSAGE}; a message
 * is never longer than the bytes it came from; both paths give the same messages however the stream
 * is cut and stop at the same place; accepted pixel formats encode without exception, into exactly
 * the bytes per pixel they promise (Raw).
 */
class ClientMessageFuzzTest {
    @FuzzTest(maxDuration = "10s")
    void messages(byte[] input) throws Exception {
        List<String> whole = new ArrayList<>();
        String wholeEnd = decodeAll(input, whole);

        List<String> read = new ArrayList<>();
        String readEnd;
        ClientMessageReader reader = new ClientMessageReader(new RfbInput(new Pieces(input)));
        while (true) {
            ClientMessage m;
            try {
                m = reader.next();
            } catch (ClientMessageReader.ProtocolError e) {
                readEnd = "malformed";
                break;
            } catch (java.io.EOFException e) {
                readEnd = "end";
                break;
            }
            read.add(describe(m));
            exercise(m);
        }
        assertEquals(whole, read, "the same messages however the stream is cut");
        assertEquals(wholeEnd, readEnd);
    }

    /** Decodes from the whole buffer; returns how it ended: "malformed" or "end" (cut or exhausted). */
    static String decodeAll(byte[] input, List<String> out) {
        int at = 0;
        while (true) {
            MemorySegment rest = MemorySegment.ofArray(input).asSlice(at);
            switch (ClientMessageDecoder.decode(rest)) {
                case ClientMessageDecoder.Result.Message m -> {
                    assertTrue(m.length() >= 1 && m.length() <= rest.byteSize(), "length " + m.length() + " of " + rest.byteSize());
                    out.add(describe(m.message()));
                    at += m.length();
                }
                case ClientMessageDecoder.Result.NeedMore n -> {
                    assertTrue(n.length() > rest.byteSize(), "asks for " + n.length() + " with " + rest.byteSize());
                    assertTrue(n.length() <= ClientMessageDecoder.MAX_MESSAGE, "asks for " + n.length());
                    return "end";
                }
                case ClientMessageDecoder.Result.Malformed x -> {
                    assertNotNull(x.why());
                    return "malformed";
                }
            }
        }
    }

    static String describe(ClientMessage m) {
        return switch (m) {
            case ClientMessage.SetEncodings e -> "SetEncodings" + Arrays.toString(e.encodings());
            case ClientMessage.CutText t -> "CutText" + Arrays.toString(t.latin1());
            case ClientMessage.Fence f -> "Fence" + f.flags() + Arrays.toString(f.payload());
            default -> m.toString();
        };
    }

    private static final DamageRect FRAME = new DamageRect(3, 2, 7, 5);

    /** What the viewer does with the message, as far as it needs no socket. */
    static void exercise(ClientMessage m) throws IOException {
        switch (m) {
            case ClientMessage.SetPixelFormat p -> {
                if (p.format().problem() != null) return;
                MemorySegment px = MemorySegment.ofArray(new int[(int) FRAME.pixels()]);
                for (int i = 0; i < FRAME.pixels(); i++) px.setAtIndex(java.lang.foreign.ValueLayout.JAVA_INT, i, i * 0x10305 + (i & 1) * 0xff0000);
                Counting sink = new Counting();
                RfbOutput out = new RfbOutput(sink);
                new RawEncoder().write(out, p.format(), FRAME, px);
                out.flush();
                assertEquals(12 + FRAME.pixels() * p.format().bytesPerPixel(), sink.bytes, "Raw bytes for " + p.format());
                try (TightEncoder t = new TightEncoder(1)) {
                    t.write(out, p.format(), FRAME, px); // many colours: the copy filter
                    for (int i = 0; i < FRAME.pixels(); i++) px.setAtIndex(java.lang.foreign.ValueLayout.JAVA_INT, i, (i % 3) * 0x7f3f1f);
                    t.write(out, p.format(), FRAME, px); // three: the palette filter
                    out.flush();
                }
            }
            case ClientMessage.SetEncodings e -> {
                ViewerSettings s = ViewerSettings.INITIAL.withEncodings(e.encodings());
                assertTrue(s.encoding() == RfbWire.ENC_RAW || s.encoding() == RfbWire.ENC_TIGHT);
                assertTrue(s.compressLevel() >= 0 && s.compressLevel() <= 9);
            }
            default -> { }
        }
    }

    /** The stream in pieces of 1..64 bytes, sizes taken from the stream's own bytes. */
    static final class Pieces implements ReadableByteChannel {
        private final byte[] data;
        private int at, turn;

        Pieces(byte[] data) { this.data = data; }

        @Override
        public int read(ByteBuffer dst) {
            if (at >= data.length) return -1;
            int piece = 1 + (data.length == 0 ? 0 : (data[turn++ % data.length] & 0x3f));
            int n = Math.min(Math.min(piece, dst.remaining()), data.length - at);
            dst.put(data, at, n);
            at += n;
            return n;
        }

        @Override public boolean isOpen() { return true; }
        @Override public void close() {}
    }

    static final class Counting implements WritableByteChannel {
        long bytes;

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            src.position(src.limit());
            bytes += n;
            return n;
        }

        @Override public boolean isOpen() { return true; }
        @Override public void close() {}
    }
}
