package dev.panamavgpu.testguest.device;

import dev.panamavgpu.testguest.conformance.BadInputScenarios;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every bad guest input gets the right RESP_ERR_* and changes nothing (scenarios in BadInputScenarios). */
class BadInputTest {
    @TestFactory
    Stream<DynamicTest> scenarios() {
        return InJvmBackend.tests(BadInputScenarios.all());
    }
}
