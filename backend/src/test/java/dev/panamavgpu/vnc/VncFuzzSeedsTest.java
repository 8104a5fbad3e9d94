package dev.panamavgpu.vnc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panamavgpu.vhostuser.fuzz.SeedCorpus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The committed seed corpus of the RFB client-message target is what the seed code makes, and it reaches the decoder's paths. */
class VncFuzzSeedsTest {
    @Test
    void clientMessageSeeds() throws Exception {
        SeedCorpus.check(ClientMessageFuzzTest.class, "messages", ClientMessageSeeds.all());
    }

    @Test
    void theNoVncSeedDecodesWhole() {
        List<String> m = new ArrayList<>();
        assertEquals("end", ClientMessageFuzzTest.decodeAll(ClientMessageSeeds.all().get("novnc-connects"), m));
        assertEquals(4, m.size(), m.toString());
        assertEquals("malformed", ClientMessageFuzzTest.decodeAll(ClientMessageSeeds.all().get("cut-text-past-its-bound"), new ArrayList<>()));
    }
}
