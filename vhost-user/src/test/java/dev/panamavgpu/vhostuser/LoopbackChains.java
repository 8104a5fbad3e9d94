package dev.panamavgpu.vhostuser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.panamavgpu.vhostuser.frontend.DeviceSession;
import dev.panamavgpu.vhostuser.frontend.DriverQueue;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.util.List;

/** Traffic a test driver sends through a {@link LoopbackDevice}, and the waits that go with it. */
final class LoopbackChains {
    private LoopbackChains() {}

    /** Sends {@code n} chains one after another and checks each comes back with its bytes. */
    static void roundTrips(DeviceSession s, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            long buf = submitOne(s, (byte) (i + 1));
            List<DriverQueue.Used> used = s.awaitUsed(0, 5000);
            assertEquals(64, used.getFirst().length());
            assertEquals((byte) (i + 1), s.ram().at(buf + 127, 1).get(ValueLayout.JAVA_BYTE, 0));
        }
    }

    /** One chain: 64 bytes of {@code fill} to read, 64 to write; returns its buffer's address. */
    static long submitOne(DeviceSession s, byte fill) throws IOException {
        long buf = s.ram().alloc(128, 8);
        s.ram().at(buf, 64).fill(fill);
        DriverQueue q = s.queue(0);
        int old = q.availIndex();
        q.push(q.add(List.of(new DriverQueue.Buffer(buf, 64)), List.of(new DriverQueue.Buffer(buf + 64, 64))));
        s.submit(0, old);
        return buf;
    }

    /** Waits (at most 5 s) until the device status has {@code bit}. */
    static void awaitStatus(DeviceSession s, long bit) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while ((s.connection().getStatus() & bit) == 0) {
            if (System.nanoTime() > deadline) fail("status never got bit 0x" + Long.toHexString(bit));
            Thread.sleep(5);
        }
    }
}
