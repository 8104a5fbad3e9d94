package dev.panamavgpu.vnc;

import java.time.Duration;

/**
 * How the RFB server runs.
 *
 * @param password      VNC authentication with this password (its first 8 bytes); null: none
 * @param allowNone     security type None offered (only when asked for, or on a unix socket)
 * @param maxViewers    viewers at once, handshakes included; later ones are closed at once
 * @param scanout       the virtio-gpu scanout viewers see
 * @param stallTimeout  a viewer whose socket takes no bytes for this long while an update waits is dropped
 * @param maxCopyBytes  pixels copied for one viewer in one loop turn; the rest of its damage waits for its next request
 */
public record VncConfig(VncAddress address, byte[] password, boolean allowNone, int maxViewers, int scanout,
                        Duration stallTimeout, Duration handshakeTimeout, long maxCopyBytes, String name) {
    public static final int DEFAULT_MAX_VIEWERS = 8;
    public static final Duration DEFAULT_STALL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_HANDSHAKE = Duration.ofSeconds(10);
    /** 16 MiB: a whole 1080p frame (8 MB) or a half of a 4K one per update. */
    public static final long DEFAULT_MAX_COPY = 16L << 20;

    public VncConfig {
        if (password == null && !allowNone) throw new IllegalArgumentException("a VNC server without a password must allow None explicitly");
        if (maxViewers < 1) throw new IllegalArgumentException("--vnc-max-clients must be at least 1");
        if (scanout < 0 || scanout >= 16) throw new IllegalArgumentException("--vnc-scanout must be 0..15");
        if (maxCopyBytes < 64 * 1024) throw new IllegalArgumentException("copy budget below 64 KiB");
    }

    public static VncConfig of(VncAddress address, byte[] password, boolean allowNone) {
        return new VncConfig(address, password, allowNone, DEFAULT_MAX_VIEWERS, 0, DEFAULT_STALL, DEFAULT_HANDSHAKE,
                DEFAULT_MAX_COPY, "panama-vgpu");
    }

    public VncConfig withMaxViewers(int n) { return new VncConfig(address, password, allowNone, n, scanout, stallTimeout, handshakeTimeout, maxCopyBytes, name); }
    public VncConfig withScanout(int s) { return new VncConfig(address, password, allowNone, maxViewers, s, stallTimeout, handshakeTimeout, maxCopyBytes, name); }
    public VncConfig withStallTimeout(Duration d) { return new VncConfig(address, password, allowNone, maxViewers, scanout, d, handshakeTimeout, maxCopyBytes, name); }
    public VncConfig withHandshakeTimeout(Duration d) { return new VncConfig(address, password, allowNone, maxViewers, scanout, stallTimeout, d, maxCopyBytes, name); }
    public VncConfig withMaxCopyBytes(long b) { return new VncConfig(address, password, allowNone, maxViewers, scanout, stallTimeout, handshakeTimeout, b, name); }
}
