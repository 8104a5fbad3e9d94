package dev.panamavgpu.sandbox;

/** What became of one layer of the sandbox. */
public sealed interface Layer {
    String text();

    /** The layer is in force, as {@code text} describes. */
    record InForce(String text) implements Layer {}

    /** The layer is not in force, and why (kernel lacks it, a call failed, or --sandbox=off). */
    record Missing(String why) implements Layer {
        @Override public String text() { return "no " + why; }
    }
}
