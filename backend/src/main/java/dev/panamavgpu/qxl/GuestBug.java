package dev.panamavgpu.qxl;

/**
 * A guest fault found while parsing shared memory: the device raises QXL_INTERRUPT_ERROR and stops
 * until RESET. Thrown only inside this package and always caught by {@link QxlDevice} at the entry
 * point (a doorbell), so it never leaves a handler.
 */
final class GuestBug extends Exception {
    /** Codes written to the transport page's bug_code. */
    enum Code {
        NONE, BAD_ADDRESS, BAD_SLOT, BAD_GENERATION, BAD_RING, BAD_COMMAND, BAD_SURFACE, BAD_CHUNKS, BAD_IO, BAD_RELEASE_ID, HOST_FAULT;
    }

    final Code code;

    GuestBug(Code code, String message) {
        super(message, null, false, false); // no stack trace: this is a value, not a host error
        this.code = code;
    }
}
