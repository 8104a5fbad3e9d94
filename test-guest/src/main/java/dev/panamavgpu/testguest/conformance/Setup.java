package dev.panamavgpu.testguest.conformance;

import dev.panamavgpu.testguest.qemu.QemuDisplayPeer;

/**
 * How a {@link GpuRig} is set up before a scenario runs.
 *
 * @param display       what QEMU's end of the GPU socket reports and answers
 * @param attachDisplay whether QEMU hands over a GPU socket at all before the scenario
 * @param ramBytes      guest RAM (a memfd shared with the backend)
 */
public record Setup(QemuDisplayPeer.Config display, boolean attachDisplay, long ramBytes) {
    public static final long DEFAULT_RAM = 64L << 20;

    public static Setup defaults() { return new Setup(QemuDisplayPeer.Config.defaults(), true, DEFAULT_RAM); }

    public static Setup display(QemuDisplayPeer.Config display) { return new Setup(display, true, DEFAULT_RAM); }

    public static Setup withoutDisplay() { return new Setup(QemuDisplayPeer.Config.defaults(), false, DEFAULT_RAM); }

    public Setup withRam(long bytes) { return new Setup(display, attachDisplay, bytes); }
}
