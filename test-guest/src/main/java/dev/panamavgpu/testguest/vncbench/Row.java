package dev.panamavgpu.testguest.vncbench;

/**
 * One figure set: which VNC server, driven by which guest, at which size, with which encoding ("none": no
 * viewer connected, the guest's rate alone), and what the window saw.
 */
public record Row(String server, String guest, VncBenchPlan.Size size, String encoding, Window window) {
    static final String NONE = "none";
}
