package dev.panamavgpu.testguest.driver;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A minimal encoder of virgl's command stream (virglrenderer's virgl_protocol.h), for the few
 * commands a clear needs: CREATE_OBJECT of a surface, SET_FRAMEBUFFER_STATE and CLEAR. Each command
 * is one header dword {@code cmd | object << 8 | length << 16} followed by {@code length} dwords.
 * Written here rather than taken from Mesa: the test needs four commands, Mesa's encoder needs a
 * whole gallium driver around it.
 */
public final class VirglStream {
    static final int CCMD_CREATE_OBJECT = 1, CCMD_SET_FRAMEBUFFER_STATE = 5, CCMD_CLEAR = 7;
    static final int OBJECT_SURFACE = 8;
    /** PIPE_CLEAR_COLOR0 (gallium's clear buffer bits: DEPTH 1, STENCIL 2, COLOR0 4). */
    static final int CLEAR_COLOR0 = 1 << 2;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private void dword(int v) {
        out.writeBytes(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    private void header(int cmd, int object, int length) {
        dword(cmd | object << 8 | length << 16);
    }

    /** A surface {@code handle} on level 0, layer 0 of resource {@code resourceId}, in {@code format}. */
    public VirglStream createSurface(int handle, long resourceId, int format) {
        header(CCMD_CREATE_OBJECT, OBJECT_SURFACE, 5);
        dword(handle);
        dword((int) resourceId);
        dword(format);
        dword(0); // level
        dword(0); // first_layer | last_layer << 16
        return this;
    }

    /** One colour buffer (surface {@code cbuf}), no depth/stencil surface. */
    public VirglStream setFramebuffer(int cbuf) {
        header(CCMD_SET_FRAMEBUFFER_STATE, 0, 3);
        dword(1);    // nr_cbufs
        dword(0);    // zsurf handle
        dword(cbuf);
        return this;
    }

    /** CLEAR of colour buffer 0 to (r, g, b, a). */
    public VirglStream clear(float r, float g, float b, float a) {
        header(CCMD_CLEAR, 0, 8);
        dword(CLEAR_COLOR0);
        dword(Float.floatToRawIntBits(r));
        dword(Float.floatToRawIntBits(g));
        dword(Float.floatToRawIntBits(b));
        dword(Float.floatToRawIntBits(a));
        long depth = Double.doubleToRawLongBits(1.0);
        dword((int) depth);
        dword((int) (depth >>> 32));
        dword(0); // stencil
        return this;
    }

    /** A command with an opcode virglrenderer does not know (a malformed stream). */
    public VirglStream bogus() {
        header(0xEE, 0, 1);
        dword(0);
        return this;
    }

    public byte[] bytes() { return out.toByteArray(); }
}
