package dev.panamavgpu.vhostuser.memory;

/**
 * Guest memory that was valid when a segment was made but cannot be touched now: its region was
 * unmapped under a stale segment (the JDK's "already closed"), or the file behind the mapping
 * shrank (SIGBUS, which the JDK raises as an InternalError from the faulting copy). Either is the
 * front-end's doing, so the device answers with an error and needs a reset; nothing may let it
 * escape into the loop. See {@link GuestAccess} for the copies that raise it.
 */
public final class GuestMemoryFault extends Exception {
    private GuestMemoryFault(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** The fault {@code t} stands for, or null if it is something else (a bug: let it propagate). */
    public static GuestMemoryFault recognise(Throwable t) {
        if (t instanceof InternalError e && e.getMessage() != null && e.getMessage().contains("unsafe memory access")) {
            return new GuestMemoryFault("guest memory no longer backed (file shrunk under the mapping)", e);
        }
        if (t instanceof IllegalStateException e && e.getMessage() != null && e.getMessage().contains("closed")) {
            return new GuestMemoryFault("guest memory unmapped (region removed)", e);
        }
        return null;
    }
}
