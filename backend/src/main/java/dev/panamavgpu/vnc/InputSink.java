package dev.panamavgpu.vnc;

/**
 * Where a viewer's keys and pointer go. The route into the guest (QMP input-send-event or a
 * vhost-user-input device) is not built yet: the default drops them. Called on the viewer's
 * reading thread; an implementation must not block for long (it delays that viewer only).
 */
public interface InputSink {
    void key(ClientMessage.KeyEvent e);

    void qemuKey(ClientMessage.QemuKeyEvent e);

    /** {@code width}/{@code height}: the screen the coordinates refer to. */
    void pointer(ClientMessage.PointerEvent e, int width, int height);

    InputSink NONE = new InputSink() {
        @Override public void key(ClientMessage.KeyEvent e) {}
        @Override public void qemuKey(ClientMessage.QemuKeyEvent e) {}
        @Override public void pointer(ClientMessage.PointerEvent e, int width, int height) {}
    };
}
