package dev.panamavgpu.testguest.conformance;

/**
 * One scenario against one backend.
 *
 * @param observed for a pass the last response seen; otherwise what went wrong, with the observed response
 */
public record ScenarioResult(String scenarioId, String backend, Outcome outcome, String observed, long millis) {
    public boolean passed() { return outcome == Outcome.PASS; }
}
