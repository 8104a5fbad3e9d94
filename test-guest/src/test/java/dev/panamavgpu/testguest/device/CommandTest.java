package dev.panamavgpu.testguest.device;

import dev.panamavgpu.testguest.conformance.CommandScenarios;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Every 2D and cursor command on its happy path, and fence echo (scenarios in CommandScenarios). */
class CommandTest {
    @TestFactory
    Stream<DynamicTest> scenarios() {
        return InJvmBackend.tests(CommandScenarios.all());
    }
}
