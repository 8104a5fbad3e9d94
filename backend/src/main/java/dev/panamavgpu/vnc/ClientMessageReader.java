package dev.panamavgpu.vnc;

import java.io.IOException;

/**
 * The viewer's message stream after the handshake: reads as much as the decoder asks for (never
 * more than {@link ClientMessageDecoder#MAX_MESSAGE}) and hands out one decoded message at a time.
 */
final class ClientMessageReader {
    /** The viewer broke the protocol. */
    static final class ProtocolError extends IOException {
        ProtocolError(String why) { super(why); }
    }

    private final RfbInput in;

    ClientMessageReader(RfbInput in) {
        this.in = in;
    }

    /** The next message; blocks until it is whole. */
    ClientMessage next() throws IOException {
        while (true) {
            switch (ClientMessageDecoder.decode(in.available())) {
                case ClientMessageDecoder.Result.NeedMore m -> {
                    if (m.length() > ClientMessageDecoder.MAX_MESSAGE) throw new IllegalStateException("decoder asked for " + m.length());
                    if (m.length() > in.available().byteSize()) in.fill(m.length());
                    else in.readMore();
                }
                case ClientMessageDecoder.Result.Malformed m -> throw new ProtocolError(m.why());
                case ClientMessageDecoder.Result.Message m -> {
                    in.consume(m.length());
                    return m.message();
                }
            }
        }
    }
}
