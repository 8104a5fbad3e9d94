package dev.panamavgpu.cli;

import dev.panamavgpu.vnc.VncAddress;
import dev.panamavgpu.vnc.VncConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** The --vnc* options to a {@link VncConfig}: security None only when asked for, or on a unix socket. */
final class VncOptions {
    private VncOptions() {}

    static VncConfig config(String address, Path passwordFile, boolean noAuth, int maxClients, int scanout) throws IOException {
        VncAddress a = VncAddress.parse(address);
        if (passwordFile != null && noAuth) throw new IllegalArgumentException("give --vnc-password-file or --vnc-no-auth, not both");
        byte[] password = passwordFile == null ? null : password(passwordFile);
        boolean none = password == null && (noAuth || a instanceof VncAddress.Unix);
        if (password == null && !none)
            throw new IllegalArgumentException("--vnc=" + address + " on TCP needs --vnc-password-file=FILE (or --vnc-no-auth to let anyone in)");
        return VncConfig.of(a, password, none).withMaxViewers(maxClients).withScanout(scanout);
    }

    /** The first line of the file, without its line end; RFB's DES key takes its first 8 bytes. */
    static byte[] password(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        int end = 0;
        while (end < b.length && b[end] != '\n' && b[end] != '\r') end++;
        if (end == 0) throw new IllegalArgumentException("--vnc-password-file " + file + " has an empty first line");
        return Arrays.copyOf(b, end);
    }
}
