package dev.panamavgpu.vnc;

/** A viewer's end of the hand-off from the loop thread: must not block (called on the loop). */
interface FrameReceiver {
    void accept(Frame f);
}
