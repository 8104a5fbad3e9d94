package dev.panamavgpu.gpu.display;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.UnixSockets;
import dev.panamavgpu.vhostuser.loop.EventLoop;
import dev.panamavgpu.vhostuser.loop.FaultScope;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The display socket's handlers belong to the device's fault scope: an Error while rendering an
 * UPDATE reaches that scope (which, in a connection, resets the device), and the loop goes on.
 */
class DisplayChannelFaultTest {

    @Test
    void anErrorWhileSendingPixelsReachesTheDeviceScope() throws Exception {
        List<String> contained = new ArrayList<>();
        FaultScope device = new FaultScope() {
            @Override public String describe() { return "device"; }
            @Override public void contain(String where, Throwable fault) { contained.add(where + ": " + fault.getMessage()); }
        };
        boolean[] fail = {true};
        try (EventLoop loop = new EventLoop()) {
            Fd[] pair = UnixSockets.socketpair(true);
            DisplayChannel channel = new DisplayChannel(loop, (id, rect, out) -> {
                if (fail[0]) throw new InternalError("injected render fault");
                out.fill((byte) 0x22);
                return true;
            });
            try {
                loop.execute(device, () -> {
                    channel.attach(pair[1]);
                    channel.scanout(0, 64, 64);
                    channel.damage(0, new DamageRect(0, 0, 64, 64));
                });
                for (int i = 0; i < 4; i++) loop.runOnce();
                assertEquals(1, contained.size(), "contained: " + contained);
                assertTrue(contained.getFirst().contains("injected render fault"), contained.getFirst());
                assertTrue(channel.isConnected(), "the socket is still the device's to reset");
                // the loop still serves the device: the next damage is sent
                fail[0] = false;
                long sent = channel.stats().updatesSent();
                loop.execute(device, () -> channel.damage(0, new DamageRect(0, 0, 8, 8)));
                for (int i = 0; i < 4; i++) loop.runOnce();
                assertTrue(channel.stats().updatesSent() > sent, "no UPDATE sent after the fault");
            } finally {
                channel.close();
                pair[0].close();
            }
        }
    }
}
