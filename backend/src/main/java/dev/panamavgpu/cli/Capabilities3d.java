package dev.panamavgpu.cli;

import dev.panamavgpu.ffm.Virglrenderer;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * What --print-capabilities says about 3D, found cheaply: the libraries load (no GL is started;
 * packaging/launcher.sh checks the same two files without a JVM) and a render node exists.
 */
final class Capabilities3d {
    private Capabilities3d() {}

    static boolean virglLoads() {
        if (!Virglrenderer.available()) return false;
        try {
            SymbolLookup.libraryLookup("libEGL.so.1", Arena.global());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    static boolean renderNodePresent() {
        try (Stream<Path> s = Files.list(Path.of("/dev/dri"))) {
            return s.anyMatch(p -> p.getFileName().toString().startsWith("renderD"));
        } catch (IOException e) {
            return false;
        }
    }
}
