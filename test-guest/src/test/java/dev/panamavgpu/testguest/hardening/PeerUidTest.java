package dev.panamavgpu.testguest.hardening;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With --max-vms > 1 only front-ends with the backend's uid (or --allow-uid) are served, checked
 * with SO_PEERCRED. A real peer of another uid: socat run as user nobody (setpriv) sends
 * GET_FEATURES on a socket everyone may connect to (--socket-mode=0666); the same bytes sent as our
 * own uid get the 20-byte reply, so the check, not the permissions, is what turns nobody away.
 */
class PeerUidTest {
    static final int NOBODY = 65534;
    /** vhost-user GET_FEATURES (request 1), version 1, no payload: the reply is a 12-byte header plus a u64. */
    static final byte[] GET_FEATURES = {1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0};

    @TempDir
    Path dir;

    private static byte[] ask(String path, List<String> as) throws Exception {
        List<String> cmd = new ArrayList<>(as);
        cmd.addAll(List.of("socat", "-t", "2", "STDIO", "UNIX-CONNECT:" + path));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream out = p.getOutputStream()) {
            out.write(GET_FEATURES);
        }
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(got);
        }
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "socat did not end");
        return got.toByteArray();
    }

    private static List<String> asNobody() {
        return List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups");
    }

    @Test
    void aPeerWithAnotherUidIsRefusedUnlessAllowed() throws Exception {
        Assumptions.assumeTrue(new com.sun.security.auth.module.UnixSystem().getUid() == 0, "needs root to run a peer as nobody");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x")); // nobody may reach the socket
        try (ManyVmsBackend backend = new ManyVmsBackend(dir, "--max-vms=4", "--socket-mode=0666")) {
            assertEquals(20, ask(backend.path, List.of()).length, "our own uid is served");
            assertEquals(0, ask(backend.path, asNobody()).length, "nobody is turned away before a reply");
            assertEquals(1, backend.stat("vms_refused"));
            assertTrue(backend.log().contains("peer uid " + NOBODY + " is neither ours nor allowed with --allow-uid"), backend.log());
        }
        try (ManyVmsBackend backend = new ManyVmsBackend(dir, "--max-vms=4", "--socket-mode=0666", "--allow-uid=" + NOBODY)) {
            assertEquals(20, ask(backend.path, asNobody()).length, "--allow-uid lets nobody in");
            assertEquals(0, backend.stat("vms_refused"));
        }
    }
}
