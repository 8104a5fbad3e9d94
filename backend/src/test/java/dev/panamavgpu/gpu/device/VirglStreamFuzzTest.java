package dev.panamavgpu.gpu.device;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.panamavgpu.ffm.Virglrenderer;
import dev.panamavgpu.gpu.protocol.VirtioGpuType;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzz target: virglrenderer's own parser and executor of virgl command streams (SUBMIT_3D
 * payloads), which {@link Gpu3dCommandFuzzTest} replaces by a clear because a crash there would
 * kill the fuzzer. Here each input runs in a long-lived child JVM ({@link VirglChild}: decoder,
 * {@link Gpu3d}, virglrenderer on llvmpipe, a fresh context and resources per input); this process
 * only sends it and waits. Input: one byte picking the texture's format, then the stream.
 *
 * <p>Oracle: the child answers within {@link VirglChildProcess#TIMEOUT_SECONDS} with OK_NODATA or an
 * error response (a stream virglrenderer refuses is fine). A child that dies (a signal in
 * virglrenderer or Mesa, an abort, a Java oracle failing in it) or hangs is a finding: the exception
 * carries its exit status and stderr tail, Jazzer keeps the input, the next input gets a new child.
 *
 * <p>Coverage: virglrenderer is not instrumented, so Jazzer gets no feedback from inside it; this is
 * a mutation fuzzer around the seeds ({@link VirglStreamSeeds}), with the answer type as the only
 * signal (each distinct answer is a distinct branch here).
 */
class VirglStreamFuzzTest {
    /** A new child now and then, so state virglrenderer keeps per process (leaks, caches) cannot pile up. */
    static final int RESTART_EVERY = 2000;
    private static VirglChildProcess child;

    @BeforeAll
    static void setUp() {
        assumeTrue(Virglrenderer.available(), () -> "skipped: " + Virglrenderer.unavailableReason());
        child = new VirglChildProcess(Path.of("target", "virgl-child", "child.log"));
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (child != null) child.close();
    }

    @FuzzTest(maxDuration = "10s")
    void streams(byte[] input) throws Exception {
        if (input.length > 64 * 1024) return; // far beyond what mutations of the seeds need; keeps each run short
        if (child.inputs() >= RESTART_EVERY) child.start();
        int answer = child.run(input);
        switch (answer) {
            case VirtioGpuType.RESP_OK_NODATA, VirtioGpuType.RESP_ERR_UNSPEC, VirtioGpuType.RESP_ERR_OUT_OF_MEMORY,
                 VirtioGpuType.RESP_ERR_INVALID_CONTEXT_ID, VirtioGpuType.RESP_ERR_INVALID_PARAMETER -> { }
            default -> assertTrue(false, "unexpected answer to a SUBMIT_3D: 0x" + Integer.toHexString(answer));
        }
    }
}
