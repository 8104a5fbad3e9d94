package dev.panamavgpu.testguest.conformance;

/**
 * One conformance scenario: a name, how the rig is set up, and what the guest and QEMU do and check. The same
 * scenarios run as JUnit tests against the in-JVM device and in {@code test-guest conformance} against a process.
 *
 * @param group the part of the device it covers (commands, bad-input, lifecycle, pixels)
 * @param name  unique within the group; parameters in brackets
 */
public record Scenario(String group, String name, Setup setup, Body body) {
    /** The scenario's steps; throws {@link AssertionError} when a check fails. */
    @FunctionalInterface
    public interface Body {
        void run(GpuRig rig) throws Exception;
    }

    public static Scenario of(String group, String name, Body body) {
        return new Scenario(group, name, Setup.defaults(), body);
    }

    public static Scenario of(String group, String name, Setup setup, Body body) {
        return new Scenario(group, name, setup, body);
    }

    public String id() { return group + "/" + name; }

    @Override
    public String toString() { return id(); }
}
