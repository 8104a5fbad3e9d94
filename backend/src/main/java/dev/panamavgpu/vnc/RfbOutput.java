package dev.panamavgpu.vnc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * A viewer's output: big-endian fields into a 64 KiB buffer, written to the socket with blocking
 * writes of at most that size. While a write waits, {@link #stalledSinceNanos} says since when, so
 * the watchdog can drop a viewer whose socket takes nothing for too long. Viewer writer thread only
 * (the handshake uses it on the reader thread before the writer starts).
 */
final class RfbOutput {
    static final int CHUNK = 64 * 1024;
    private final WritableByteChannel channel;
    private final ByteBuffer buf = ByteBuffer.allocate(CHUNK);
    private volatile long stalledSince; // 0: not writing
    private long bytesWritten;

    RfbOutput(WritableByteChannel channel) {
        this.channel = channel;
    }

    long stalledSinceNanos() { return stalledSince; }
    long bytesWritten() { return bytesWritten; }
    int buffered() { return buf.position(); }

    RfbOutput u8(int v) throws IOException { room(1); buf.put((byte) v); return this; }
    RfbOutput u16(int v) throws IOException { room(2); buf.putShort((short) v); return this; }
    RfbOutput u32(int v) throws IOException { room(4); buf.putInt(v); return this; }

    RfbOutput bytes(byte[] b) throws IOException { return bytes(b, 0, b.length); }

    RfbOutput bytes(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            room(1);
            int n = Math.min(len, buf.remaining());
            buf.put(b, off, n);
            off += n;
            len -= n;
        }
        return this;
    }

    private void room(int n) throws IOException {
        if (buf.remaining() < n) flush();
    }

    void flush() throws IOException {
        buf.flip();
        try {
            while (buf.hasRemaining()) {
                stalledSince = System.nanoTime() | 1; // never 0 while writing
                bytesWritten += channel.write(buf);
            }
        } finally {
            stalledSince = 0;
            buf.clear();
        }
    }
}
