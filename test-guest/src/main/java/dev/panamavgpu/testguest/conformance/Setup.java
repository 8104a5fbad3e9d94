package dev.panamavgpu.testguest.conformance;

import dev.panamavgpu.testguest.qemu.QemuDisplayPeer;

/**
 * How a {@link GpuRig} is set up before a scenario runs.
 *
 * @param display       what QEMU's end of the GPU socket reports and answers
 * @param attachDisplay whether QEMU hands over a GPU socket at all before the scenario
 * @param ramBytes      guest RAM (a memfd shared with the backend)
 * @param virgl         the scenario needs a backend with 3D (ours with --virgl); the in-JVM rig gives its device a renderer
 */
public record Setup(QemuDisplayPeer.Config display, boolean attachDisplay, long ramBytes, boolean virgl) {
    public static final long DEFAULT_RAM = 64L << 20;

    public static Setup defaults() { return new Setup(QemuDisplayPeer.Config.defaults(), true, DEFAULT_RAM, false); }

    public static Setup display(QemuDisplayPeer.Config display) { return new Setup(display, true, DEFAULT_RAM, false); }

    public static Setup withoutDisplay() { return new Setup(QemuDisplayPeer.Config.defaults(), false, DEFAULT_RAM, false); }

    public Setup withRam(long bytes) { return new Setup(display, attachDisplay, bytes, virgl); }

    /** A rig whose backend renders 3D (virgl). */
    public static Setup virgl3d() { return new Setup(QemuDisplayPeer.Config.defaults(), true, DEFAULT_RAM, true); }
}
