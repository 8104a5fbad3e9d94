package dev.panamavgpu.sandbox;

import java.util.List;

/**
 * What {@link Sandbox#enter} put in force, one layer each.
 *
 * @param privileges no_new_privs, dumpable flag and capabilities
 * @param seccomp    the system-call filter
 * @param landlock   the file-system restriction
 */
public record SandboxReport(SandboxMode mode, Layer privileges, Layer seccomp, Layer landlock) {
    static SandboxReport off() {
        Layer off = new Layer.Missing("sandbox (--sandbox=off)");
        return new SandboxReport(SandboxMode.OFF, off, off, off);
    }

    public List<Layer> layers() { return List.of(privileges, seccomp, landlock); }

    /** Every layer is in force. */
    public boolean complete() {
        return layers().stream().allMatch(l -> l instanceof Layer.InForce);
    }

    /** False only when {@code --sandbox=require} was asked and a layer is missing. */
    public boolean acceptable() {
        return mode != SandboxMode.REQUIRE || complete();
    }

    /** The log line. */
    public String oneLine() {
        if (mode == SandboxMode.OFF) return "sandbox: off (--sandbox=off)";
        return "sandbox: " + seccomp.text() + "; " + landlock.text() + "; " + privileges.text();
    }
}
