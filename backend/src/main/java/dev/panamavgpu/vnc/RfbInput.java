package dev.panamavgpu.vnc;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * A viewer's input on its reader thread: blocking reads into a buffer that grows only as far as
 * the message being read needs ({@link ClientMessageDecoder#MAX_MESSAGE} at most) and shrinks back.
 */
final class RfbInput {
    private static final int SMALL = 4096;
    private final ReadableByteChannel channel;
    private ByteBuffer buf = ByteBuffer.allocate(SMALL); // bytes [0, position) are read and not yet consumed

    RfbInput(ReadableByteChannel channel) {
        this.channel = channel;
    }

    /** Reads exactly {@code n} bytes (handshake). */
    byte[] readFully(int n) throws IOException {
        fill(n);
        byte[] b = new byte[n];
        buf.flip();
        buf.get(b);
        buf.compact();
        return b;
    }

    /** Makes at least {@code n} bytes available (n is bounded by the caller). */
    void fill(int n) throws IOException {
        if (buf.capacity() < n) {
            ByteBuffer bigger = ByteBuffer.allocate(n);
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
        while (buf.position() < n) {
            if (channel.read(buf) < 0) throw new EOFException("viewer closed the connection");
        }
    }

    /** Reads what is there, at least one byte more than now. */
    void readMore() throws IOException {
        if (!buf.hasRemaining()) fill(buf.capacity() + 1);
        else if (channel.read(buf) < 0) throw new EOFException("viewer closed the connection");
    }

    /** The bytes read and not yet consumed. */
    MemorySegment available() {
        return MemorySegment.ofBuffer(buf.duplicate().flip());
    }

    void consume(int n) {
        buf.flip();
        buf.position(n);
        if (buf.capacity() > SMALL && buf.remaining() <= SMALL) { // a large message is done: give the memory back
            ByteBuffer small = ByteBuffer.allocate(SMALL);
            small.put(buf);
            buf = small;
        } else {
            buf.compact();
        }
    }
}
