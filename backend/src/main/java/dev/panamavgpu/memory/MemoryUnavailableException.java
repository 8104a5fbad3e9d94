package dev.panamavgpu.memory;

/**
 * A use of memory that cannot be served, and why: the budgets (the guest sees ERR_OUT_OF_MEMORY) or
 * the page file failing to give a buffer back (the guest sees ERR_UNSPEC for that object's command).
 */
public final class MemoryUnavailableException extends Exception {
    public enum Reason { BUDGET, PAGE_FILE }

    private final Reason reason;

    public MemoryUnavailableException(String message) {
        this(Reason.BUDGET, message);
    }

    public MemoryUnavailableException(Reason reason, String message) {
        super(message, null, false, false); // raised on guest-driven paths: no stack trace cost
        this.reason = reason;
    }

    public Reason reason() { return reason; }
}
