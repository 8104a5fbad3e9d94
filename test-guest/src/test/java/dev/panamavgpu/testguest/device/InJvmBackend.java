package dev.panamavgpu.testguest.device;

import dev.panamavgpu.gpu.device.GpuDevice;
import dev.panamavgpu.gpu.device.GpuLimits;
import dev.panamavgpu.memory.MemoryLimits;
import dev.panamavgpu.testguest.conformance.GpuRig;
import dev.panamavgpu.testguest.conformance.Scenario;
import dev.panamavgpu.testguest.conformance.Setup;
import dev.panamavgpu.vhostuser.backend.VhostUserServer;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/** Our {@link GpuDevice} in this JVM behind {@link VhostUserServer} on a temporary socket, one per rig. */
final class InJvmBackend {
    private static final AtomicInteger SEQ = new AtomicInteger();

    private InJvmBackend() {}

    static GpuRig rig(Setup setup, GpuLimits limits) throws Exception {
        return rig(setup, limits, MemoryLimits.defaults());
    }

    static String socketPath() {
        return "/tmp/pvgpu-tg-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet() + ".sock";
    }

    static GpuRig rig(Setup setup, GpuLimits limits, MemoryLimits memory) throws Exception {
        String path = socketPath();
        VhostUserServer server;
        if (setup.virgl()) {
            // one renderer per JVM (virglrenderer is global); each device gets its own MemoryManager
            dev.panamavgpu.gpu.virgl.Renderer renderer = dev.panamavgpu.gpu.virgl.Renderer.shared(null);
            dev.panamavgpu.memory.MemoryManager mm = new dev.panamavgpu.memory.MemoryManager(memory);
            server = VhostUserServer.listen(path, 0600, () -> new GpuDevice(limits, mm,
                    dev.panamavgpu.gpu.display.ScreenWatcher.NONE, renderer)).start();
        } else {
            server = VhostUserServer.listen(path, 0600, () -> new GpuDevice(limits, memory)).start();
        }
        try {
            return GpuRig.connect(path, setup, server);
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    static GpuRig rig() throws Exception { return rig(Setup.defaults(), GpuLimits.defaults()); }

    /** Each scenario as a JUnit test against a fresh in-JVM device. */
    static Stream<DynamicTest> tests(List<Scenario> scenarios) {
        return scenarios.stream().map(s -> DynamicTest.dynamicTest(s.name(), () -> {
            try (GpuRig rig = rig(s.setup(), GpuLimits.defaults())) {
                s.body().run(rig);
            }
        }));
    }
}
