package dev.panamavgpu.testguest.bench;

import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.ffm.UnixSockets;
import dev.panamavgpu.testguest.qemu.QemuDisplayPeer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The display socket's own ceiling: the same UPDATE messages (12-byte header, 20-byte update header, w·h·4 pixel
 * bytes) written from one prepared buffer through a socketpair to the same reader the backends are measured
 * with, no backend in between. The best a backend that sends straight from its resource memory can do.
 */
final class SocketCeiling {
    static FrameWorkload.Result run(int w, int h, int frames) throws Exception {
        Fd[] pair = UnixSockets.socketpair(false);
        QemuDisplayPeer reader = QemuDisplayPeer.serve(pair[0], QemuDisplayPeer.Config.defaults().discardingPixels());
        try (Arena arena = Arena.ofConfined()) {
            long payload = 20 + (long) w * h * 4;
            MemorySegment msg = arena.allocate(12 + payload, 4096);
            msg.set(ValueLayout.JAVA_INT, 0, 8); // UPDATE
            msg.set(ValueLayout.JAVA_INT, 8, (int) payload);
            msg.set(ValueLayout.JAVA_INT, 12 + 12, w);
            msg.set(ValueLayout.JAVA_INT, 12 + 16, h);
            msg.asSlice(32).fill((byte) 0x5A);
            write(pair[1], msg, 1); // warm-up
            reader.awaitUpdates(1, 2_000);
            long t0 = System.nanoTime();
            write(pair[1], msg, frames);
            reader.awaitUpdates(1 + frames, 2_000);
            long n = reader.updatesReceived() - 1;
            return new FrameWorkload.Result(n, n * msg.byteSize(), (reader.lastUpdateNanos() - t0) / 1e9);
        } finally {
            pair[1].close();
            reader.close();
        }
    }

    private static void write(Fd fd, MemorySegment msg, int times) throws Exception {
        for (int i = 0; i < times; i++) {
            long done = 0;
            while (done < msg.byteSize()) {
                long n = Libc.write(fd.get(), msg.asSlice(done), msg.byteSize() - done);
                if (n > 0) done += n;
            }
        }
    }
}
