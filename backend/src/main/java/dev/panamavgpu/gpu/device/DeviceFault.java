package dev.panamavgpu.gpu.device;

/**
 * An unexpected failure inside the device (a bug), with what it was doing. Thrown on to the event
 * loop, whose fault policy resets the device; the request that hit it has been answered already.
 */
public final class DeviceFault extends RuntimeException {
    public DeviceFault(String what, Throwable cause) {
        super(what + " failed: " + cause, cause);
    }
}
