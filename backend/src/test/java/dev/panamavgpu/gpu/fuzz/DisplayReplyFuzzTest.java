package dev.panamavgpu.gpu.fuzz;

import static org.junit.jupiter.api.Assertions.*;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.ffm.UnixSockets;
import dev.panamavgpu.gpu.display.DamageRect;
import dev.panamavgpu.gpu.display.DisplayChannel;
import dev.panamavgpu.gpu.protocol.DisplayCursorPos;
import dev.panamavgpu.gpu.protocol.DisplayReply;
import dev.panamavgpu.gpu.protocol.DisplayReplyParser;
import dev.panamavgpu.gpu.protocol.DisplayRequest;
import dev.panamavgpu.vhostuser.fuzz.FuzzBytes;
import dev.panamavgpu.vhostuser.loop.EventLoop;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz target 4: what QEMU sends back on the GPU socket. The reply stream is split into the chunks
 * of the input; it goes (a) through {@link DisplayReplyParser} chunk by chunk and in one piece, and
 * (b) over a real socketpair into a {@link DisplayChannel} that has requests outstanding
 * (GET_DISPLAY_INFO, GET_EDID, and its own GET_PROTOCOL_FEATURES) and output queued.
 *
 * <p>Oracles: the parser never throws, gives the same replies however the stream is cut, and stops
 * at its first protocol error; the channel never lets an exception into the event loop (while
 * connected, its socket is still watched), and every request's callback runs exactly once by the
 * time the channel is closed.
 */
class DisplayReplyFuzzTest {
    enum Op { GET_DISPLAY_INFO, GET_EDID, CHUNK, SCANOUT_AND_DAMAGE, CURSOR }

    @FuzzTest(maxDuration = "10s")
    void replies(byte[] input) throws Exception {
        FuzzBytes in = new FuzzBytes(input);
        DisplayReplyParser chunked = new DisplayReplyParser();
        List<DisplayReply> fromChunks = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        int[] asked = {0}, answered = {0};

        EventLoop loop = new EventLoop();
        Fd[] pair = UnixSockets.socketpair(true);
        DisplayChannel channel = new DisplayChannel(loop, (id, rect, out) -> { out.fill((byte) 0x11); return true; });
        try {
            channel.attach(pair[1]);
            asked[0]++; // attach asks for the protocol features; its callback is internal, counted via the parser side
            for (int steps = 0; in.more() && steps < 100; steps++) {
                switch (Op.values()[in.pick(Op.values().length)]) {
                    case GET_DISPLAY_INFO -> { asked[0]++; channel.request(DisplayRequest.GET_DISPLAY_INFO, r -> answered[0]++); }
                    case GET_EDID -> { asked[0]++; channel.requestEdid(in.pick(4), r -> answered[0]++); }
                    case CHUNK -> {
                        byte[] chunk = in.lengthPrefixed(1200);
                        stream.writeBytes(chunk);
                        fromChunks.addAll(checkedFeed(chunked, chunk));
                        if (pair[0].isOpen()) {
                            try {
                                UnixSockets.send(pair[0], new MemorySegment[] {MemorySegment.ofArray(chunk)}, new int[0]);
                            } catch (dev.panamavgpu.ffm.ErrnoException e) {
                                // the channel dropped the socket after a protocol error
                            }
                        }
                    }
                    case SCANOUT_AND_DAMAGE -> {
                        int id = in.pick(16);
                        channel.scanout(id, 1 + in.pick(64), 1 + in.pick(64));
                        channel.damage(id, new DamageRect(0, 0, 1 + in.pick(8), 1 + in.pick(8)));
                    }
                    case CURSOR -> channel.cursorMove(new DisplayCursorPos(in.pick(16), in.u16(), in.u16()), in.bool());
                }
                loop.runOnce();
                drain(pair[0]);
                if (channel.isConnected()) assertEquals(1, loop.watchCount(), "the GPU socket is no longer watched, yet not dropped");
            }
        } finally {
            channel.close();
            pair[0].close();
            loop.close();
        }
        assertEquals(asked[0] - 1, answered[0], "request callbacks run exactly once");
        DisplayReplyParser whole = new DisplayReplyParser();
        assertEquals(checkedFeed(whole, stream.toByteArray()), fromChunks, "replies depend on how the stream was cut");
    }

    private static List<DisplayReply> checkedFeed(DisplayReplyParser p, byte[] chunk) {
        boolean failedBefore = p.failure() != null;
        List<DisplayReply> out = p.feed(MemorySegment.ofArray(chunk));
        if (failedBefore) assertEquals(List.of(), out, "replies after a protocol error");
        for (int i = 0; i < out.size() - 1; i++) {
            assertFalse(out.get(i) instanceof DisplayReply.ProtocolError, "a protocol error is the last reply");
        }
        if (!out.isEmpty() && out.getLast() instanceof DisplayReply.ProtocolError e) assertEquals(e, p.failure());
        for (DisplayReply r : out) {
            if (r instanceof DisplayReply.Edid e) assertTrue(e.edid().length <= 1024, "EDID of " + e.edid().length + " bytes");
            if (r instanceof DisplayReply.DisplayInfo d) assertTrue(d.displays().size() <= 16, "displays " + d.displays().size());
        }
        return out;
    }

    private static final MemorySegment sink = java.lang.foreign.Arena.global().allocate(1 << 16);

    private static void drain(Fd fd) throws Exception {
        if (!fd.isOpen()) return;
        while (true) {
            long n;
            try {
                n = Libc.read(fd.get(), sink, sink.byteSize());
            } catch (dev.panamavgpu.ffm.ErrnoException e) {
                return;
            }
            if (n == Libc.AGAIN || n == 0) return;
        }
    }
}
