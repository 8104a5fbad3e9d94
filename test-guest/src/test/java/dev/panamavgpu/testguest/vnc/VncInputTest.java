package dev.panamavgpu.testguest.vnc;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.input.InputSink;
import dev.panamavgpu.testguest.vncbench.RfbViewer;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A viewer's keys and pointer reach the input sink (the --input-socket device), and what it held is released when it goes. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class VncInputTest {
    @Test
    void keysPointerAndReleaseOnLeaving() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        InputSink sink = new InputSink() {
            @Override public void key(int keysym, int keycode, boolean down) { got.add("key " + Integer.toHexString(keysym) + " " + keycode + " " + down); }
            @Override public void pointer(int mask, int x, int y, int w, int h) { got.add("pointer " + mask + " " + x + "," + y + " of " + w + "x" + h); }
            @Override public void releaseAll() { got.add("releaseAll"); }
        };
        try (VncRig r = new VncRig(VncRig.unixNoAuth(), sink)) {
            VncViewerTest.draw(r.rig.gpu(), 1, VncViewerTest.B8G8R8X8, VncViewerTest.W, VncViewerTest.H, 0);
            try (RfbViewer v = r.viewer().handshake(8, null)) {
                v.write(ByteBuffer.allocate(8).put((byte) 4).put((byte) 1).putShort((short) 0).putInt(0x61).array());
                v.write(ByteBuffer.allocate(12).put((byte) 255).put((byte) 0).putShort((short) 1).putInt(0xff0d).putInt(0x1c).array());
                v.write(ByteBuffer.allocate(6).put((byte) 5).put((byte) 1).putShort((short) 300).putShort((short) 199).array());
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (got.size() < 3 && System.nanoTime() < deadline) Thread.sleep(10);
                assertEquals(List.of("key 61 0 true", "key ff0d 28 true", "pointer 1 300,199 of 320x200"), got);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!got.contains("releaseAll") && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals("releaseAll", got.get(got.size() - 1), "a viewer that leaves mid-press releases what it held");
        }
    }
}
