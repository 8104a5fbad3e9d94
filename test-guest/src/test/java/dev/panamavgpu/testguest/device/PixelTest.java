package dev.panamavgpu.testguest.device;

import dev.panamavgpu.testguest.conformance.PixelScenarios;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Pixels from guest backing to the UPDATEs QEMU receives, all eight formats (scenarios in PixelScenarios). */
class PixelTest {
    @TestFactory
    Stream<DynamicTest> scenarios() {
        return InJvmBackend.tests(PixelScenarios.all());
    }
}
