package dev.panamavgpu.vhostuser.backend;

import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.vhostuser.memory.GuestMemory;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The device SPI: everything device-specific that the vhost-user state machine needs. One instance
 * serves one front-end connection; all calls come from that connection's loop thread.
 */
public interface VhostUserDevice {
    /** Device-specific virtio feature bits offered (the library adds the transport bits it implements). */
    long deviceFeatures();

    int queueCount();

    /** Largest ring size the device accepts for {@code queue}. */
    int maxQueueSize(int queue);

    /** Reads {@code dst.byteSize()} bytes of config space at {@code offset}; false if out of range. */
    boolean readConfig(int offset, MemorySegment dst);

    /** Writes config space; false if out of range or read-only. */
    boolean writeConfig(int offset, MemorySegment src);

    /** The connection is up; {@code context} stays valid until {@link #detach}. */
    void attach(DeviceContext context);

    /** The features the driver acknowledged (SET_FEATURES). */
    default void featuresAcked(long features) {}

    /** New chains may be available on {@code queue}. Pop until null; held chains may be completed later. */
    void process(Virtqueue queue);

    /**
     * The ring is about to stop (GET_VRING_BASE): complete or fail every chain still held for it,
     * so nothing the guest submitted is lost across stop/cont.
     */
    void stopping(Virtqueue queue);

    /** The guest memory table changed; translations taken from the old one throw from now on. */
    default void memoryChanged(GuestMemory memory) {}

    /**
     * Guest memory regions nothing of the connection uses any more (an old table's, or every region
     * at disconnect) are to be unmapped by {@code unmap}. A device whose own threads may still touch
     * them (work queued to a native library that keeps pointers into guest memory) runs it once they
     * no longer can, on any thread. Called on the loop, after {@link #memoryChanged} or {@link #detach}.
     */
    default void retire(Runnable unmap) { unmap.run(); }

    /** RESET_DEVICE: drop every piece of device state, as a freshly plugged device. */
    void reset();

    /**
     * A request number the library does not know (e.g. GPU_SET_SOCKET, 33). Returns the ack value
     * (0 = success) and takes ownership of {@code fds}.
     */
    long deviceMessage(int request, MemorySegment payload, List<Fd> fds);

    /** The connection is gone: release everything (fds, memory, timers). */
    void detach();
}
