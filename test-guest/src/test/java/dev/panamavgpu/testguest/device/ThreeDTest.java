package dev.panamavgpu.testguest.device;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.panamavgpu.ffm.Virglrenderer;
import dev.panamavgpu.testguest.conformance.ThreeDScenarios;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The 3D scenarios against the in-JVM device with a renderer (virglrenderer on llvmpipe, EGL
 * surfaceless). Skipped only where libvirglrenderer.so.1 is missing; scripts/setup installs it.
 */
class ThreeDTest {
    @TestFactory
    Stream<DynamicTest> scenarios() {
        assumeTrue(Virglrenderer.available(), () -> "skipped: no virglrenderer here (" + Virglrenderer.unavailableReason() + ")");
        return InJvmBackend.tests(ThreeDScenarios.all());
    }
}
