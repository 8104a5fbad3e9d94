package dev.panamavgpu.vhostuser.backend;

import dev.panamavgpu.vhostuser.loop.EventLoop;
import dev.panamavgpu.vhostuser.memory.GuestMemory;

/** What the library offers a device: its loop, its queues, guest memory, and a way to report a broken device. */
public interface DeviceContext {
    /** The connection's loop; devices add their own descriptors and timers here. */
    EventLoop loop();

    Virtqueue queue(int index);

    GuestMemory memory();

    long ackedFeatures();

    /** The device cannot go on until the driver resets it (signalled on the rings' error eventfds). */
    void needsReset(String reason);
}
