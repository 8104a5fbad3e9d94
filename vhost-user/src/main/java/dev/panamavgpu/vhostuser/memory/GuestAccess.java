package dev.panamavgpu.vhostuser.memory;

import java.lang.foreign.MemorySegment;

/**
 * Copies to and from guest memory that turn a vanished or shrunk mapping into a
 * {@link GuestMemoryFault}. Only plain copies and element accesses are used on guest memory: the
 * JDK recovers from a SIGBUS in those, but not in every intrinsic (MemorySegment.mismatch on a
 * truncated file mapping crashed the JVM when tried).
 */
public final class GuestAccess {
    private GuestAccess() {}

    public static void copy(MemorySegment src, long srcOffset, MemorySegment dst, long dstOffset, long len) throws GuestMemoryFault {
        try {
            MemorySegment.copy(src, srcOffset, dst, dstOffset, len);
        } catch (IllegalStateException | InternalError e) {
            GuestMemoryFault f = GuestMemoryFault.recognise(e);
            if (f == null) throw e;
            throw f;
        }
    }
}
