package dev.panamavgpu.gpu.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panamavgpu.gpu.protocol.VirtioGpuType;
import dev.panamavgpu.vhostuser.fuzz.SeedCorpus;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed seed corpora of this module's fuzz targets are what the seed code makes, and they reach the device. */
class FuzzSeedsTest {
    @Test
    void gpuCommandSeeds() throws Exception {
        SeedCorpus.check(GpuCommandFuzzTest.class, "commands", GpuCommandSeeds.all());
    }

    @Test
    void theDrawingSeedSucceedsCommandByCommand() throws Exception {
        GpuCommandFuzzTest.setUp();
        try {
            List<Integer> answers = GpuCommandFuzzTest.run(GpuCommandSeeds.draw().bytes());
            assertEquals(14, answers.size(), "answers " + answers);
            assertEquals(13, Collections.frequency(answers, VirtioGpuType.RESP_OK_NODATA), "answers " + answers);
            assertEquals(VirtioGpuType.RESP_OK_RESOURCE_UUID, answers.get(10));
        } finally {
            GpuCommandFuzzTest.tearDown();
        }
    }

    @Test
    void thePageFileSeedReachesBothFailurePaths() throws Exception {
        GpuCommandFuzzTest.setUp();
        try {
            List<Integer> answers = GpuCommandFuzzTest.run(GpuCommandSeeds.all().get("page-file-fails-and-heals"));
            // a page-out on a full disk: refused past the resident budget; a page-in on a failing one: ERR_UNSPEC
            assertEquals(VirtioGpuType.RESP_ERR_OUT_OF_MEMORY, answers.get(8), "answers " + answers);
            assertEquals(VirtioGpuType.RESP_OK_NODATA, answers.get(9), "healed: " + answers);
            assertEquals(VirtioGpuType.RESP_ERR_UNSPEC, answers.get(10), "answers " + answers);
            assertEquals(VirtioGpuType.RESP_OK_NODATA, answers.get(12), "healed: " + answers);
        } finally {
            GpuCommandFuzzTest.tearDown();
        }
    }

    @Test
    void displayReplySeeds() throws Exception {
        SeedCorpus.check(DisplayReplyFuzzTest.class, "replies", DisplayReplySeeds.all());
    }
}
