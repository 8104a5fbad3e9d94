package dev.panamavgpu.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox in a child JVM ({@link SandboxProbe}): confinement is irreversible, so this JVM stays free.
 * Denials are checked by errno (EPERM from seccomp, EACCES from Landlock), next to controls that must work.
 */
class SandboxTest {
    @TempDir static Path tmp;
    private static Map<String, String> result;
    private static String output;

    @BeforeAll
    static void runProbe() throws Exception {
        Path pageDir = Files.createDirectories(tmp.resolve("pages"));
        Path sockets = Files.createDirectories(tmp.resolve("sockets"));
        Path outside = Files.writeString(Files.createDirectories(tmp.resolve("outside")).resolve("secret"), "secret");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-XX:-UsePerfData",
                "-cp", System.getProperty("java.class.path"), SandboxProbe.class.getName(),
                pageDir.toString(), sockets.resolve("gpu.sock").toString(), outside.toString(),
                Files.createDirectories(tmp.resolve("pictures")).toString())
                .redirectErrorStream(true).start();
        output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe did not end");
        assertEquals(0, p.exitValue(), "probe exit status; output:\n" + output);
        result = new HashMap<>();
        for (String l : output.split("\n")) {
            int eq = l.indexOf('=');
            if (eq > 0) result.put(l.substring(0, eq), l.substring(eq + 1));
        }
        assertEquals("ok", result.get("done"), output);
    }

    private static String r(String key) { return result.get(key); }

    private static void assumeLandlock() {
        assumeTrue("ok".equals(r("landlockAbi")), "this kernel has no Landlock: " + r("report"));
    }

    @Test
    void everyLayerIsInForce() {
        assertTrue(r("report").contains("seccomp deny-list"), r("report"));
        assertTrue(r("report").contains("capabilities dropped") || r("report").contains("no capabilities held"), r("report"));
        assumeLandlock();
        assertEquals("true", r("complete"), r("report"));
        assertTrue(r("report").contains("landlock ABI " + r("abi")), r("report"));
    }

    @Test
    void noNewProgram() {
        assertTrue(r("processBuilder").startsWith("IOException") && r("processBuilder").matches(".*error[:=] ?(1|13)\\b.*"),
                r("processBuilder"));
        assertEquals("EPERM", r("execve"));
    }

    @Test
    void filesOutsideTheGrantsAreOutOfReach() {
        assumeLandlock();
        assertTrue(r("readOutside").startsWith("AccessDeniedException"), r("readOutside"));
        assertTrue(r("readEtcHostname").startsWith("AccessDeniedException"), r("readEtcHostname"));
        assertTrue(r("createInSocketDir").startsWith("AccessDeniedException"), r("createInSocketDir"));
    }

    @Test
    void noInternetSockets() {
        assertEquals("EPERM", r("afInet"));
        assertEquals("EPERM", r("afInet6"));
        assertTrue(r("javaSocket").contains("Operation not permitted"), r("javaSocket"));
    }

    @Test
    void noTracingOfOtherProcesses() {
        assertEquals("EPERM", r("ptraceTraceme"));
        assertEquals("EPERM", r("ptraceAttach"));
        assertEquals("EPERM", r("processVmReadv"));
    }

    @Test
    void whatTheBackendNeedsStillWorks() {
        for (String k : List.of("afUnix", "pageFile", "memfd", "epoll", "gc", "jit", "readJavaHome", "writeInWritableDir")) {
            assertEquals("ok", r(k), k);
        }
    }

    @Test
    void threadsStartedAfterwardsInheritLandlock() {
        assumeLandlock();
        assertTrue(r("laterThreadReadOutside").startsWith("AccessDeniedException"), r("laterThreadReadOutside"));
    }

    /** Documents the limit of Landlock before ABI 8 (docs/security.md): a thread that existed before is not confined. */
    @Test
    void threadsStartedBeforeKeepTheFileSystemBelowAbi8() {
        assumeLandlock();
        assumeTrue(Integer.parseInt(r("abi")) < 8, "ABI 8 restricts every thread");
        assertEquals("ok", r("earlyThreadReadOutside"));
    }

    @Test
    void everyThreadIsFiltered() {
        String[] threads = r("threads").split(",");
        assertTrue(threads.length > 5, r("threads"));
        for (String t : threads) assertTrue(t.endsWith(":1/2"), "NoNewPrivs/Seccomp of " + t);
    }

    @Test
    void privilegesAreGone() {
        assertEquals("0", r("callerCapEff"));
        assertEquals("false", r("dumpable"));
    }
}
