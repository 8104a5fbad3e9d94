package dev.panamavgpu.gpu.device;

import dev.panamavgpu.gpu.protocol.GpuCommand;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A 3D resource as the loop sees it. The arenas are closed on the renderer thread, after virglrenderer let go. */
final class Resource3d {
    final GpuCommand.ResourceCreate3d desc;
    final long charged;
    Backing backing;
    Arena iovecs;          // the iovec array virglrenderer keeps while the backing is attached
    Arena stagingArena;    // readback target for the host copy (scanout / cursor)
    MemorySegment staging;
    byte[] uuid;
    boolean gone;

    Resource3d(GpuCommand.ResourceCreate3d desc, long charged) {
        this.desc = desc;
        this.charged = charged;
    }

    long id() { return desc.resourceId(); }
}
