package dev.panamavgpu.gpu.device;

/** What one scanout shows: a resource and the rectangle of it (in resource pixels); resource 0 = disabled. */
record Scanout(long resourceId, long x, long y, long width, long height) {
    static final Scanout DISABLED = new Scanout(0, 0, 0, 0, 0);

    boolean enabled() { return resourceId != 0; }
}
