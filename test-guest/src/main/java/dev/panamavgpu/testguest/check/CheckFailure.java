package dev.panamavgpu.testguest.check;

/** A conformance check that did not hold. An {@link AssertionError}, so JUnit reports it as a test failure. */
public final class CheckFailure extends AssertionError {
    public CheckFailure(String message) { super(message); }
}
