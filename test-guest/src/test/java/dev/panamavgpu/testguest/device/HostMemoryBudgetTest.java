package dev.panamavgpu.testguest.device;

import static dev.panamavgpu.testguest.check.ResponseChecks.*;
import static dev.panamavgpu.testguest.driver.Commands.*;

import dev.panamavgpu.gpu.device.GpuLimits;
import dev.panamavgpu.memory.MemoryLimits;
import dev.panamavgpu.testguest.conformance.GpuRig;
import dev.panamavgpu.testguest.conformance.Setup;
import org.junit.jupiter.api.Test;

/** The total host memory budget (needs a device built with a small limit, so not a process scenario). */
class HostMemoryBudgetTest {
    static final int BGRX = 2;

    @Test
    void hostMemoryBudgetExhaustionGivesOutOfMemoryAndRecovers() throws Exception {
        try (GpuRig rig = InJvmBackend.rig(Setup.defaults(), GpuLimits.defaults(), MemoryLimits.defaults().withMaxTotal(4L << 20))) {
            assertNoData(rig.gpu().createResource(1, BGRX, 1024, 512)); // 2 MiB
            assertNoData(rig.gpu().createResource(2, BGRX, 1024, 256)); // 1 MiB
            assertError(RESP_ERR_OUT_OF_MEMORY, rig.gpu().createResource(3, BGRX, 1024, 512)); // would be 5 MiB
            for (int i = 0; i < 500; i++) { // failing creates leak nothing
                assertError(RESP_ERR_OUT_OF_MEMORY, rig.gpu().createResource(100 + i, BGRX, 1024, 1024));
            }
            assertNoData(rig.gpu().createResource(3, BGRX, 1024, 255)); // fits: 4 MiB - 4 KiB
            assertNoData(rig.gpu().unref(1));
            assertNoData(rig.gpu().createResource(4, BGRX, 1024, 512)); // the 2 MiB came back
        }
    }
}
