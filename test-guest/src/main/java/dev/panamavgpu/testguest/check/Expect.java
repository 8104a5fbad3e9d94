package dev.panamavgpu.testguest.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The assertions the conformance scenarios use, with JUnit's names and message shapes, so that the same scenario
 * code runs as a JUnit test and in the {@code test-guest conformance} tool (which has no JUnit at run time).
 */
public final class Expect {
    private Expect() {}

    /** A check run by {@link #assertAll}. */
    @FunctionalInterface
    public interface Check {
        void run() throws Throwable;
    }

    public static CheckFailure fail(String message) {
        throw new CheckFailure(message);
    }

    private static String prefix(String message) {
        return message == null || message.isEmpty() ? "" : message + " ==> ";
    }

    private static void notEqual(Object expected, Object actual, String message) {
        throw new CheckFailure(prefix(message) + "expected: <" + expected + "> but was: <" + actual + ">");
    }

    public static void assertEquals(Object expected, Object actual) { assertEquals(expected, actual, (String) null); }

    public static void assertEquals(Object expected, Object actual, String message) {
        if (!Objects.equals(expected, actual)) notEqual(expected, actual, message);
    }

    public static void assertEquals(Object expected, Object actual, Supplier<String> message) {
        if (!Objects.equals(expected, actual)) notEqual(expected, actual, message.get());
    }

    public static void assertEquals(long expected, long actual) { assertEquals(expected, actual, (String) null); }

    public static void assertEquals(long expected, long actual, String message) {
        if (expected != actual) notEqual(expected, actual, message);
    }

    public static void assertEquals(long expected, long actual, Supplier<String> message) {
        if (expected != actual) notEqual(expected, actual, message.get());
    }

    public static void assertNotEquals(long unexpected, long actual) {
        if (unexpected == actual) throw new CheckFailure("expected: not equal but was: <" + actual + ">");
    }

    public static void assertArrayEquals(byte[] expected, byte[] actual) { assertArrayEquals(expected, actual, null); }

    public static void assertArrayEquals(byte[] expected, byte[] actual, String message) {
        if (!Arrays.equals(expected, actual)) {
            int i = Arrays.mismatch(expected, actual);
            throw new CheckFailure(prefix(message) + "array contents differ at index [" + i + "], expected: <"
                    + HexBytes.around(expected, i) + "> but was: <" + HexBytes.around(actual, i) + ">");
        }
    }

    public static void assertTrue(boolean condition) { assertTrue(condition, (String) null); }

    public static void assertTrue(boolean condition, String message) {
        if (!condition) throw new CheckFailure(prefix(message) + "expected: <true> but was: <false>");
    }

    public static void assertTrue(boolean condition, Supplier<String> message) {
        if (!condition) throw new CheckFailure(prefix(message.get()) + "expected: <true> but was: <false>");
    }

    public static void assertFalse(boolean condition, String message) {
        if (condition) throw new CheckFailure(prefix(message) + "expected: <false> but was: <true>");
    }

    public static void assertNotNull(Object actual) { assertNotNull(actual, null); }

    public static void assertNotNull(Object actual, String message) {
        if (actual == null) throw new CheckFailure(prefix(message) + "expected: not <null>");
    }

    /** Runs every check and reports all that failed together. */
    public static void assertAll(Check... checks) {
        List<String> failures = new ArrayList<>();
        for (Check c : checks) {
            try {
                c.run();
            } catch (AssertionError e) {
                failures.add(e.getMessage());
            } catch (Throwable t) {
                failures.add(t.toString());
            }
        }
        if (!failures.isEmpty()) {
            throw new CheckFailure("Multiple Failures (" + failures.size() + " failures)\n\t" + String.join("\n\t", failures));
        }
    }

    /** Short hex renderings for failure messages. */
    private static final class HexBytes {
        static String around(byte[] b, int i) {
            if (b == null) return "null";
            if (i >= b.length) return "(length " + b.length + ")";
            StringBuilder s = new StringBuilder();
            for (int k = Math.max(0, i); k < Math.min(b.length, i + 8); k++) s.append(String.format("%02x", b[k] & 0xff));
            return s.toString();
        }
    }
}
