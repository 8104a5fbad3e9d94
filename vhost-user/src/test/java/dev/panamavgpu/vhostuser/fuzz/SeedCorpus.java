package dev.panamavgpu.vhostuser.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The committed seed corpus of a fuzz target, as Jazzer finds it in regression mode:
 * {@code src/test/resources/<package>/<Class>Inputs/<method>/<name>}. Seeds are produced by code;
 * a unit test checks that the committed files are exactly what the code produces, and rewrites them
 * when run with {@code -Dfuzz.writeSeeds=true} (after a change of an input format).
 */
public final class SeedCorpus {
    private SeedCorpus() {}

    public static void check(Class<?> target, String method, Map<String, byte[]> seeds) throws IOException {
        Path dir = Path.of("src/test/resources", target.getPackageName().replace('.', '/'),
                target.getSimpleName() + "Inputs", method);
        boolean write = Boolean.getBoolean("fuzz.writeSeeds");
        if (write) Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
            Path f = dir.resolve(e.getKey());
            if (write) Files.write(f, e.getValue());
            assertTrue(Files.exists(f), f + " is missing: run the seed tests with -Dfuzz.writeSeeds=true and commit");
            assertArrayEquals(e.getValue(), Files.readAllBytes(f), f + " differs from what the seed code makes (-Dfuzz.writeSeeds=true)");
        }
    }
}
