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
    void displayReplySeeds() throws Exception {
        SeedCorpus.check(DisplayReplyFuzzTest.class, "replies", DisplayReplySeeds.all());
    }
}
