package dev.panamavgpu.gpu.virgl;

/** virglrenderer cannot be used here: the library is missing or its initialisation failed. */
public final class RendererException extends Exception {
    public RendererException(String message) {
        super(message);
    }
}
