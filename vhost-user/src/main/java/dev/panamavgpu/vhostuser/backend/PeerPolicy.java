package dev.panamavgpu.vhostuser.backend;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.UnixSockets;
import java.util.Set;

/**
 * Which front-ends a listening server admits, and how many at once. With one (the default, as
 * before) the socket's permission bits decide who may connect. With more (--max-vms), one process
 * holds several VMs' devices, so each peer's uid as the kernel recorded it at connect time
 * (SO_PEERCRED, not forgeable by the peer) must be the backend's own or one given with
 * --allow-uid; anyone else is closed before a byte is read.
 */
public record PeerPolicy(int maxConnections, Set<Integer> allowedUids, UidSource uids) {
    /** Where a connection's peer uid comes from; tests give their own to play a foreign peer. */
    @FunctionalInterface
    public interface UidSource {
        int uidOf(Fd fd) throws ErrnoException;
    }

    /** The most front-ends one process serves at once; each has its own thread and mappings. */
    public static final int MAX_CONNECTIONS = 256;

    /** One front-end at a time, admitted by the socket's permissions alone. */
    public static final PeerPolicy ONE = new PeerPolicy(1, Set.of(), fd -> -1);

    public PeerPolicy {
        if (maxConnections < 1 || maxConnections > MAX_CONNECTIONS)
            throw new IllegalArgumentException("--max-vms must be 1.." + MAX_CONNECTIONS + ", not " + maxConnections);
        allowedUids = Set.copyOf(allowedUids);
    }

    /** Up to {@code max} front-ends, each with the uid {@code ownUid} or one of {@code moreUids}. */
    public static PeerPolicy many(int max, int ownUid, Set<Integer> moreUids) {
        if (max == 1) return ONE;
        java.util.HashSet<Integer> all = new java.util.HashSet<>(moreUids);
        all.add(ownUid);
        return new PeerPolicy(max, all, fd -> UnixSockets.peerCredentials(fd).uid());
    }

    /** Why {@code fd}'s peer is not admitted, or null if it is. */
    public String refusal(Fd fd) {
        if (maxConnections == 1) return null;
        int uid;
        try {
            uid = uids.uidOf(fd);
        } catch (ErrnoException e) {
            return "its credentials are unknown (" + e.getMessage() + ")";
        }
        return allowedUids.contains(uid) ? null : "peer uid " + uid + " is neither ours nor allowed with --allow-uid";
    }
}
