package dev.panamavgpu.vhostuser.message;

import dev.panamavgpu.ffm.Fd;
import java.lang.foreign.MemorySegment;
import java.util.List;

/** One complete vhost-user message: header fields, a copy of the payload, and the fds that came with it (owned). */
public record Message(int request, int flags, MemorySegment payload, List<Fd> fds) {
    public boolean needsReply() { return (flags & Header.FLAG_NEED_REPLY) != 0; }
    public long size() { return payload.byteSize(); }
    public void closeFds() { fds.forEach(Fd::close); }

    @Override
    public String toString() {
        return Request.name(request) + "{flags 0x" + Integer.toHexString(flags) + ", " + payload.byteSize() + " B, " + fds.size() + " fds}";
    }
}
