package dev.panamavgpu.sandbox;

/** {@code --sandbox}: on (best effort: what the kernel lacks is logged and skipped), off, or require (a missing layer is fatal). */
public enum SandboxMode { ON, OFF, REQUIRE }
