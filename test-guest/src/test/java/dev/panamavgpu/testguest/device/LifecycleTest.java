package dev.panamavgpu.testguest.device;

import dev.panamavgpu.testguest.conformance.LifecycleScenarios;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** GPU socket replacement, reset, stop/resume, a QEMU that stops reading (scenarios in LifecycleScenarios). */
class LifecycleTest {
    @TestFactory
    Stream<DynamicTest> scenarios() {
        return InJvmBackend.tests(LifecycleScenarios.all());
    }
}
