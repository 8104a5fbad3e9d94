package dev.panamavgpu.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The files the configuration names, which the Landlock policy must keep reachable.
 *
 * @param pageDir      where the page file (O_TMPFILE, opened lazily) lives
 * @param sockets      every listening socket; their directories may have the socket unlinked at exit
 * @param writableDirs directories the backend writes files into after setup (the QXL control socket's
 *                     {@code png FILE}; a log file that is reopened)
 */
public record SandboxPaths(Path pageDir, List<Path> sockets, List<Path> writableDirs, boolean gl, List<Path> deviceNodes) {
    public SandboxPaths {
        Objects.requireNonNull(pageDir, "pageDir");
        sockets = List.copyOf(sockets);
        writableDirs = List.copyOf(writableDirs);
        deviceNodes = List.copyOf(deviceNodes);
    }

    public SandboxPaths(Path pageDir, List<Path> sockets, List<Path> writableDirs) {
        this(pageDir, sockets, writableDirs, false, List.of());
    }

    /**
     * 3D (--virgl): Mesa reads its configuration (drirc, the GLVND vendor files) whenever a GL
     * context is made, after setup; a render node is opened read-write.
     */
    public SandboxPaths withGl(String renderNode) {
        List<Path> n = new ArrayList<>(deviceNodes);
        if (renderNode != null) n.add(Path.of(renderNode).toAbsolutePath());
        return new SandboxPaths(pageDir, sockets, writableDirs, true, n);
    }

    /** The page directory and the given socket paths; null entries (options not given) are left out. */
    public static SandboxPaths of(Path pageDir, String... socketPaths) {
        List<Path> s = new ArrayList<>();
        for (String p : socketPaths) if (p != null) s.add(Path.of(p).toAbsolutePath());
        return new SandboxPaths(pageDir.toAbsolutePath(), s, List.of());
    }

    public SandboxPaths withWritableDir(Path dir) {
        List<Path> w = new ArrayList<>(writableDirs);
        w.add(dir.toAbsolutePath());
        return new SandboxPaths(pageDir, sockets, w, gl, deviceNodes);
    }
}
