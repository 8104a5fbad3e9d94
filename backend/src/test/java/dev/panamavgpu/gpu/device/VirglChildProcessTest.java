package dev.panamavgpu.gpu.device;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.panamavgpu.ffm.Virglrenderer;
import dev.panamavgpu.gpu.protocol.VirtioGpuType;
import dev.panamavgpu.vhostuser.fuzz.SeedCorpus;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link VirglStreamFuzzTest}'s seeds and its child: seeds committed as the code makes them, answers as expected, a killed or crashed child reported and replaced. */
class VirglChildProcessTest {
    @Test
    void seedsAreCommitted() throws Exception {
        SeedCorpus.check(VirglStreamFuzzTest.class, "streams", VirglStreamSeeds.all());
    }

    @Test
    void validSeedsSucceedAndADeadChildIsAFinding() throws Exception {
        assumeTrue(Virglrenderer.available(), () -> "skipped: " + Virglrenderer.unavailableReason());
        Map<String, byte[]> seeds = VirglStreamSeeds.all();
        try (VirglChildProcess child = new VirglChildProcess(Path.of("target", "virgl-child", "test.log"), "-Dvirgl.child.selfTest=true")) {
            for (String valid : new String[] {"clear", "state-objects", "write-copy-subctx"}) {
                assertEquals(VirtioGpuType.RESP_OK_NODATA, child.run(seeds.get(valid)), valid);
            }
            assertEquals(VirtioGpuType.RESP_ERR_INVALID_PARAMETER, child.run(seeds.get("unknown-opcode")));

            long pid = child.pid();
            assertEquals(0, new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor());
            VirglChildProcess.Finding f = assertThrows(VirglChildProcess.Finding.class, () -> child.run(seeds.get("clear")));
            assertTrue(f.getMessage().contains("exit: 137 (signal 9"), f.getMessage());

            assertEquals(VirtioGpuType.RESP_OK_NODATA, child.run(seeds.get("clear")), "a new child after the finding");
            assertNotEquals(pid, child.pid());

            f = assertThrows(VirglChildProcess.Finding.class, () -> child.run(VirglChild.CRASH));
            assertTrue(f.getMessage().contains("SIGSEGV") && f.getMessage().contains("hs_err"), "the JVM's crash summary: " + f.getMessage());
            assertEquals(VirtioGpuType.RESP_OK_NODATA, child.run(seeds.get("clear")), "a new child after the crash");
        }
    }
}
