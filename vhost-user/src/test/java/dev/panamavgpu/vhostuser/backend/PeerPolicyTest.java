package dev.panamavgpu.vhostuser.backend;

import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.UnixSockets;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerPolicyTest {
    @Test
    void oneFrontEndIsAdmittedByTheSocketsPermissionsAlone() throws Exception {
        Fd[] pair = UnixSockets.socketpair(false);
        try {
            assertNull(PeerPolicy.ONE.refusal(pair[0]));
        } finally {
            pair[0].close();
            pair[1].close();
        }
    }

    @Test
    void manyAdmitOurUidAndTheAllowedOnesOnly() throws Exception {
        Fd[] pair = UnixSockets.socketpair(false);
        try {
            int ours = UnixSockets.peerCredentials(pair[0]).uid(); // a socket pair: the peer is this process
            assertNull(PeerPolicy.many(4, ours, Set.of()).refusal(pair[0]), "the real SO_PEERCRED check admits our uid");
            PeerPolicy other = new PeerPolicy(4, Set.of(ours), fd -> 4242);
            assertTrue(other.refusal(pair[0]).contains("peer uid 4242"));
            assertNull(new PeerPolicy(4, Set.of(ours, 4242), fd -> 4242).refusal(pair[0]));
            PeerPolicy unknown = new PeerPolicy(4, Set.of(ours), fd -> { throw new ErrnoException("getsockopt", 9); });
            assertNotNull(unknown.refusal(pair[0]), "unknown credentials are refused");
        } finally {
            pair[0].close();
            pair[1].close();
        }
        assertThrows(IllegalArgumentException.class, () -> new PeerPolicy(0, Set.of(), fd -> 0));
        assertThrows(IllegalArgumentException.class, () -> new PeerPolicy(PeerPolicy.MAX_CONNECTIONS + 1, Set.of(), fd -> 0));
    }
}
