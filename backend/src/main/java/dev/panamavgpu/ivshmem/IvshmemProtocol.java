package dev.panamavgpu.ivshmem;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.UnixSockets;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The ivshmem server-to-client messages (docs/specs/ivshmem-spec.rst): each one a little-endian
 * int64, sent alone in one sendmsg, with at most one descriptor attached. Clients never send.
 */
public final class IvshmemProtocol {
    private IvshmemProtocol() {}

    public static final long VERSION = 0;
    /** The value that carries the shared-memory fd. */
    public static final long SHM = -1;
    public static final int MAX_PEER_ID = 0xFFFF;
    static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** Sends one message; false if the socket could not take all 8 bytes now (the peer is not reading). */
    static boolean send(Fd socket, long value, Fd attached) throws ErrnoException {
        MemorySegment m = MemorySegment.ofArray(new byte[8]);
        m.set(LE64, 0, value);
        int[] fds = attached == null ? new int[0] : new int[] {attached.get()};
        long n = UnixSockets.send(socket, new MemorySegment[] {m}, fds);
        return n == 8;
    }

    /** Decodes one received message value. */
    public static long decode(MemorySegment buf) {
        return buf.get(LE64, 0);
    }
}
