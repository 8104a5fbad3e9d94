package dev.panamavgpu.cli;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Option;

class QuickArgsTest {
    /** Every option field of a Main, by name. */
    private static Map<String, Object> options(Main m) throws IllegalAccessException {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Field f : Main.class.getDeclaredFields()) {
            if (f.getAnnotation(Option.class) == null) continue;
            f.setAccessible(true);
            out.put(f.getName(), f.get(m));
        }
        return out;
    }

    private static Main picocli(String... args) {
        Main m = new Main();
        new CommandLine(m).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return m;
    }

    private static void sameAsPicocli(String... args) throws IllegalAccessException {
        Main quick = QuickArgs.parse(new Main(), args);
        assertNotNull(quick, "the quick path should take " + String.join(" ", args));
        assertEquals(options(picocli(args)), options(quick), String.join(" ", args));
    }

    @Test
    void libvirtsLaunchAndTheCommonOnesGiveWhatPicocliGives() throws Exception {
        sameAsPicocli("--fd=3");
        sameAsPicocli("--socket-path=/tmp/gpu.sock");
        sameAsPicocli("--socket-path=/run/x.sock", "--log-file=/var/log/x.log", "--sandbox=off", "--max-outputs=2",
                "--vnc-no-auth", "--max-resident=64M", "--page-dir=/srv", "--print-capabilities");
        sameAsPicocli(); // defaults only
    }

    @Test
    void everythingElseIsLeftToPicocli() {
        for (String[] args : new String[][] {{"-f", "3"}, {"--fd", "3"}, {"--help"}, {"--version"}, {"--fd=x"},
                {"--fd=3", "--fd=4"}, {"--max-outputs=010"}, {"--max-outputs=-1"}, {"--vnc-no-auth=true"},
                {"--sandbox=maybe"}, {"--no-such-option=1"}, {"plain"}})
            assertNull(QuickArgs.parse(new Main(), args), String.join(" ", args));
    }
}
