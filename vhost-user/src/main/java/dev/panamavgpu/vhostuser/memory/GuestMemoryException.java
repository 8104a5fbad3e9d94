package dev.panamavgpu.vhostuser.memory;

/** An address or range that guest memory cannot serve; carries the range for the log. */
public final class GuestMemoryException extends Exception {
    public GuestMemoryException(String message) {
        super(message, null, false, false); // raised on guest-controlled paths: no stack trace cost
    }
}
