package dev.panamavgpu.memory;

/** A use of memory the budgets (or the host) cannot give; the guest sees ERR_OUT_OF_MEMORY. */
public final class MemoryUnavailableException extends Exception {
    public MemoryUnavailableException(String message) {
        super(message);
    }
}
