package dev.panamavgpu.vhostuser.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The committed seed corpora of this module's fuzz targets are what the seed code makes. */
class FuzzSeedsTest {
    @Test
    void descriptorChainSeeds() throws Exception {
        SeedCorpus.check(DescriptorChainFuzzTest.class, "walk", DescriptorChainSeeds.all());
    }

    @Test
    void backendConnectionSeeds() throws Exception {
        SeedCorpus.check(BackendConnectionFuzzTest.class, "messages", BackendConnectionSeeds.all());
    }

    @Test
    void theQemuSeedsReachTheDevice() throws Exception {
        // the seeds are only worth their place if they get through set-up to a processed chain
        BackendConnectionFuzzTest.setUp();
        try {
            var seeds = BackendConnectionSeeds.all();
            assertEquals(1, BackendConnectionFuzzTest.run(seeds.get("qemu-start-request-stop-reset")).processed.get());
            assertEquals(1, BackendConnectionFuzzTest.run(seeds.get("add-mem-reg-then-remove-under-running-ring")).processed.get());
        } finally {
            BackendConnectionFuzzTest.tearDown();
        }
    }
}
