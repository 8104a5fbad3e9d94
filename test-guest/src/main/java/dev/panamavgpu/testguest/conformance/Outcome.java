package dev.panamavgpu.testguest.conformance;

/** How one scenario ended against one backend. */
public enum Outcome {
    PASS,
    /** A check did not hold. */
    FAIL,
    /** The backend process ended during the scenario. */
    DIED,
    /** The scenario did not finish within its time limit (the backend was killed). */
    TIMEOUT,
    /** The harness could not start or reach the backend. */
    ERROR
}
