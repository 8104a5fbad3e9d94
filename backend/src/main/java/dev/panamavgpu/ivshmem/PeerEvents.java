package dev.panamavgpu.ivshmem;

/**
 * What the host peer (the device living on the shared region) hears from the server. Called on
 * the server's loop thread only.
 */
public interface PeerEvents {
    /** A peer wrote {@code (HOST_ID << 16) | vector} to its doorbell (or 1 to our eventfd). */
    void onDoorbell(int vector);

    /** A socket peer connected and got its handshake. */
    default void onPeerJoined(int peerId) {}

    /** A socket peer left or was dropped; its eventfds are closed. */
    default void onPeerLeft(int peerId) {}

    /**
     * Something the host device runs on the loop (a doorbell, its timers and tasks) threw: contain
     * it (stop the device until the guest resets it). Must not throw.
     */
    void onHostFault(String where, Throwable fault);
}
