package dev.panamavgpu.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.panamavgpu.ffm.layout.MsgHdr;
import dev.panamavgpu.ffm.layout.VirglLayouts;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The bindings against the real library, headless (EGL surfaceless on llvmpipe): cap sets, a
 * context, a texture whose bytes round-trip through the host. All on one thread, as virglrenderer
 * requires. Skipped where libvirglrenderer.so.1 is absent (scripts/setup installs it).
 */
class VirglrendererTest {
    @Test
    void roundTripOnOneThread() throws Exception {
        assumeTrue(Virglrenderer.available(), () -> "skipped: " + Virglrenderer.unavailableReason());
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().name("virgl-test").start(() -> {
            try { run(); done.complete(null); } catch (Throwable e) { done.completeExceptionally(e); }
        });
        done.get(60, TimeUnit.SECONDS);
        t.join();
    }

    private static void run() {
        assertEquals(0, Virglrenderer.init(Virglrenderer.USE_EGL | Virglrenderer.USE_SURFACELESS, -1, null));
        try (Arena a = Arena.ofConfined()) {
            int[] virgl2 = Virglrenderer.capSet(2);
            assertEquals(2, virgl2[0]);
            assertNotEquals(0, virgl2[1]);
            MemorySegment caps = a.allocate(virgl2[1]);
            Virglrenderer.fillCaps(2, 2, caps);
            assertEquals(2, caps.get(JAVA_INT, 0)); // virgl_caps_v2 starts with max_version 2
            assertEquals(0, Virglrenderer.contextCreate(1, 2, "test"));
            MemorySegment args = a.allocate(VirglLayouts.CREATE_ARGS);
            args.set(JAVA_INT, VirglLayouts.CA_HANDLE, 7);
            args.set(JAVA_INT, VirglLayouts.CA_TARGET, 2);  // PIPE_TEXTURE_2D
            args.set(JAVA_INT, VirglLayouts.CA_FORMAT, 2);  // B8G8R8X8_UNORM
            args.set(JAVA_INT, VirglLayouts.CA_BIND, 2);    // render target
            args.set(JAVA_INT, VirglLayouts.CA_WIDTH, 4);
            args.set(JAVA_INT, VirglLayouts.CA_HEIGHT, 4);
            args.set(JAVA_INT, VirglLayouts.CA_DEPTH, 1);
            args.set(JAVA_INT, VirglLayouts.CA_ARRAY_SIZE, 1);
            assertEquals(0, Virglrenderer.resourceCreate(args));
            Virglrenderer.ctxAttachResource(1, 7);
            MemorySegment info = a.allocate(VirglLayouts.RESOURCE_INFO);
            assertEquals(0, Virglrenderer.resourceInfo(7, info));
            assertEquals(4, info.get(JAVA_INT, VirglLayouts.RI_WIDTH));
            MemorySegment backing = a.allocate(64, 16);
            for (int i = 0; i < 64; i++) backing.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) (i * 3 + 1));
            MemorySegment iov = a.allocate(MsgHdr.IOVEC);
            iov.set(ADDRESS, MsgHdr.IOV_BASE, backing);
            iov.set(JAVA_LONG, MsgHdr.IOV_LEN, 64);
            assertEquals(0, Virglrenderer.attachIov(7, iov, 1));
            MemorySegment box = a.allocate(VirglLayouts.BOX);
            box.set(JAVA_INT, VirglLayouts.BOX_W, 4);
            box.set(JAVA_INT, VirglLayouts.BOX_H, 4);
            box.set(JAVA_INT, VirglLayouts.BOX_D, 1);
            assertEquals(0, Virglrenderer.transferWrite(7, 1, 0, 0, 0, box, 0, MemorySegment.NULL, 0));
            byte[] sent = backing.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            backing.fill((byte) 0);
            assertEquals(0, Virglrenderer.transferRead(7, 1, 0, 0, 0, box, 0, MemorySegment.NULL, 0));
            assertArrayEquals(sent, backing.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            Virglrenderer.detachIov(7);
            Virglrenderer.ctxDetachResource(1, 7);
            Virglrenderer.resourceUnref(7);
            Virglrenderer.contextDestroy(1);
        } finally {
            Virglrenderer.cleanup();
        }
    }
}
