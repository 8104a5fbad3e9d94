package dev.panamavgpu.vhostuser.virtqueue;

/** A ring the driver has broken beyond recovery (e.g. an impossible avail index): the device needs a reset. */
public final class QueueException extends Exception {
    public QueueException(String message) {
        super(message, null, false, false);
    }
}
