package dev.panamavgpu.gpu.device;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.code_intelligence.jazzer.api.Jazzer;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.panamavgpu.ffm.Virglrenderer;
import dev.panamavgpu.gpu.protocol.VirtioGpuType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
 * a mutation fuzzer around the seeds ({@link VirglStreamSeeds}), steered by the stream's outline
 * and the answer ({@link #shape}).
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
        shape(input, answer);
        switch (answer) {
            case VirtioGpuType.RESP_OK_NODATA, VirtioGpuType.RESP_ERR_UNSPEC, VirtioGpuType.RESP_ERR_OUT_OF_MEMORY,
                 VirtioGpuType.RESP_ERR_INVALID_CONTEXT_ID, VirtioGpuType.RESP_ERR_INVALID_PARAMETER -> { }
            default -> assertTrue(false, "unexpected answer to a SUBMIT_3D: 0x" + Integer.toHexString(answer));
        }
    }

    /**
     * Coverage Jazzer cannot get from inside virglrenderer, from the stream's outline instead: which
     * commands (and object types) it holds, which follow which, and how many, each combined with
     * whether virglrenderer accepted the stream. Without it every input looks alike and libFuzzer
     * shrinks the corpus to one input of four bytes, away from the seeds.
     */
    static void shape(byte[] input, int answer) {
        int ok = answer == VirtioGpuType.RESP_OK_NODATA ? 0x80 : 0;
        ByteBuffer b = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
        long at = 1;
        int count = 0, previous = 0;
        while (at + 4 <= input.length && count < 1024) {
            int header = b.getInt((int) at);
            int cmd = header & 0x3f, object = header >>> 8 & 0xff;
            Jazzer.exploreState((byte) (cmd | ok), 0x1000);
            Jazzer.exploreState((byte) (cmd * 13 + object ^ ok), 0x1100);
            Jazzer.exploreState((byte) (previous * 31 + cmd ^ ok), 0x1200);
            previous = cmd;
            count++;
            at += 4 + 4L * (header >>> 16);
        }
        Jazzer.exploreState((byte) (Math.min(count, 127) | ok), 0x1300);
    }
}
