package dev.panamavgpu.vnc;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.gpu.display.DamageRect;
import dev.panamavgpu.gpu.display.DamageSource;
import dev.panamavgpu.gpu.protocol.DisplayCursorPos;
import dev.panamavgpu.vhostuser.loop.EventLoop;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hub on a loop turned by hand: per-viewer damage merges, copies are bounded, faults stay in the hub's scope. */
class ScreenHubTest {
    static final class Source implements DamageSource {
        int renders;
        boolean fail;

        @Override
        public boolean render(int id, DamageRect r, MemorySegment out) {
            renders++;
            if (fail) throw new InternalError("render failed");
            for (long i = 0; i < out.byteSize(); i += 4) out.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, i, 0x00112233);
            return true;
        }
    }

    static void turn(EventLoop loop) throws Exception {
        for (int i = 0; i < 4; i++) loop.runOnce();
    }

    @Test
    void damageMergesPerViewerAndPixelsAreCopiedOnlyForAViewerThatAsked() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            ScreenHub hub = new ScreenHub(loop, 0, 64 * 1024);
            Source src = new Source();
            hub.attached(src);
            hub.scanout(0, 256, 128);
            List<Frame> a = new ArrayList<>(), b = new ArrayList<>();
            ViewerScreen va = new ViewerScreen(a::add), vb = new ViewerScreen(b::add);
            hub.join(va);
            hub.join(vb);
            turn(loop);
            for (int i = 0; i < 10; i++) hub.damage(0, new DamageRect(i * 10, i, 5, 5)); // ten flushes, nobody asked
            turn(loop);
            assertEquals(0, src.renders, "nothing is copied for viewers that did not ask");
            hub.request(va, true, 0, 0, 256, 128);
            turn(loop);
            assertEquals(1, a.size());
            assertEquals(new DamageRect(0, 0, 95, 14), a.get(0).rect(), "the ten rectangles merged");
            assertEquals(0, b.size(), "the other viewer asked for nothing");
            // while va sends, more damage merges; it gets one frame once it has sent
            hub.damage(0, new DamageRect(200, 100, 10, 10));
            hub.request(va, true, 0, 0, 256, 128);
            turn(loop);
            assertEquals(1, a.size(), "no frame while the previous one is being sent");
            hub.sent(va);
            turn(loop);
            assertEquals(2, a.size());
            assertEquals(new DamageRect(200, 100, 10, 10), a.get(1).rect());
            // a full request larger than the copy budget: 64 KiB = 64 rows of 256 pixels, the rest waits
            hub.sent(va);
            hub.request(va, false, 0, 0, 256, 128);
            turn(loop);
            assertEquals(new DamageRect(0, 0, 256, 64), a.get(2).rect());
            hub.sent(va);
            hub.request(va, true, 0, 0, 256, 128);
            turn(loop);
            assertEquals(new DamageRect(0, 64, 256, 64), a.get(3).rect(), "the rest at the next request");
        }
    }

    @Test
    void aFaultWhileCopyingStaysInTheHubsScope() throws Exception {
        try (EventLoop loop = new EventLoop()) {
            ScreenHub hub = new ScreenHub(loop, 0, 1 << 20);
            Source src = new Source();
            hub.attached(src);
            hub.scanout(0, 64, 64);
            List<Frame> a = new ArrayList<>();
            ViewerScreen va = new ViewerScreen(a::add);
            hub.join(va);
            turn(loop);
            src.fail = true;
            hub.request(va, false, 0, 0, 64, 64);
            turn(loop); // contained by the hub (logged), not thrown out of the loop
            assertEquals(0, a.size());
            src.fail = false;
            hub.cursorImage(new DisplayCursorPos(0, 5, 5), 0, 0, MemorySegment.ofArray(new int[64 * 64]));
            hub.request(va, false, 0, 0, 64, 64);
            turn(loop);
            assertEquals(1, a.size(), "the hub goes on after the fault");
        }
    }
}
