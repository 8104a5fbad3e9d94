package dev.panamavgpu.vhostuser.backend;

import dev.panamavgpu.vhostuser.loop.EventLoop;
import dev.panamavgpu.vhostuser.loop.FaultScope;
import dev.panamavgpu.vhostuser.memory.GuestMemory;

/** What the library offers a device: its loop, its queues, guest memory, and a way to report a broken device. */
public interface DeviceContext {
    /** The connection's loop; devices add their own descriptors and timers here. */
    EventLoop loop();

    /**
     * The scope the device's handlers run in. Work another thread hands the device
     * ({@code loop().execute(deviceScope(), task)}) belongs here too, so a fault in it resets this device
     * rather than landing on the loop.
     */
    FaultScope deviceScope();

    Virtqueue queue(int index);

    GuestMemory memory();

    long ackedFeatures();

    /** The device cannot go on until the driver resets it (signalled on the rings' error eventfds). */
    void needsReset(String reason);
}
