package dev.panamavgpu.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.panamavgpu.ffm.layout.MsgHdr;
import dev.panamavgpu.ffm.layout.SockaddrUn;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * AF_UNIX stream sockets with file-descriptor passing (SCM_RIGHTS) in both directions, which the
 * JDK's own unix sockets cannot do. Descriptors are created close-on-exec; received descriptors too.
 */
public final class UnixSockets {
    private UnixSockets() {}

    public static final int AF_UNIX = 1, SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1, SCM_RIGHTS = 1, SO_SNDBUF = 7, SO_RCVBUF = 8, SO_PEERCRED = 17;
    public static final int MSG_CTRUNC = 0x8, MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000, MSG_CMSG_CLOEXEC = 0x40000000;
    public static final int SHUT_RDWR = 2;
    /** Upper bound on descriptors accepted with one message (vhost-user sends at most 8). */
    public static final int MAX_FDS = 32;

    private static final class Socket {
        static final MethodHandle H = Native.errnoHandle("socket",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }
    private static final class Socketpair {
        static final MethodHandle H = Native.errnoHandle("socketpair",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    }
    private static final class Bind {
        static final MethodHandle H = Native.errnoHandle("bind",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }
    private static final class Listen {
        static final MethodHandle H = Native.errnoHandle("listen",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }
    private static final class Accept4 {
        static final MethodHandle H = Native.errnoHandle("accept4",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    }
    private static final class Connect {
        static final MethodHandle H = Native.errnoHandle("connect",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }
    private static final class Shutdown {
        static final MethodHandle H = Native.errnoHandle("shutdown",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    }
    private static final class Setsockopt {
        static final MethodHandle H = Native.errnoHandle("setsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    }
    private static final class Getsockopt {
        static final MethodHandle H = Native.errnoHandle("getsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    }
    private static final class Sendmsg {
        static final MethodHandle H = Native.errnoHandle("sendmsg",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    }
    private static final class Recvmsg {
        static final MethodHandle H = Native.errnoHandle("recvmsg",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    }

    /** A connected pair, both ends close-on-exec; {@code nonBlocking} applies to both. */
    public static Fd[] socketpair(boolean nonBlocking) throws ErrnoException {
        MemorySegment cs = Native.captureSegment();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment sv = a.allocate(JAVA_INT, 2);
            int type = SOCK_STREAM | SOCK_CLOEXEC | (nonBlocking ? SOCK_NONBLOCK : 0);
            int r;
            try { r = (int) Socketpair.H.invokeExact(cs, AF_UNIX, type, 0, sv); } catch (Throwable t) { throw Native.unexpected(t); }
            if (r != 0) throw new ErrnoException("socketpair", Native.errno(cs));
            return new Fd[] {Fd.adopt(sv.getAtIndex(JAVA_INT, 0)), Fd.adopt(sv.getAtIndex(JAVA_INT, 1))};
        }
    }

    /**
     * Creates a listening socket at {@code path} whose file has permission bits {@code mode}
     * (set through umask at bind time, so there is no window with wider permissions). The socket is
     * bound under a temporary name and renamed to {@code path} once it listens, so whoever waits for
     * the file to appear (a harness, a front-end polling for it) can connect at once instead of
     * meeting ECONNREFUSED between bind and listen.
     */
    public static Fd listen(String path, int mode, int backlog) throws ErrnoException {
        String staging = path + ".binding";
        boolean staged = staging.getBytes(StandardCharsets.UTF_8).length < SockaddrUn.PATH_MAX;
        String bindPath = staged ? staging : path; // too long to stage: bind in place
        if (staged) Libc.unlinkIfExists(staging);
        Fd fd = socket(true);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = sockaddr(a, bindPath);
            MemorySegment cs = Native.captureSegment();
            int r;
            synchronized (UnixSockets.class) { // umask is process-wide
                int old = Libc.umask(~mode & 0777);
                try { r = (int) Bind.H.invokeExact(cs, fd.get(), addr, (int) addr.byteSize()); }
                catch (Throwable t) { throw Native.unexpected(t); }
                finally { Libc.umask(old); }
            }
            if (r != 0) throw new ErrnoException("bind " + bindPath, Native.errno(cs));
            try {
                try { r = (int) Listen.H.invokeExact(cs, fd.get(), backlog); } catch (Throwable t) { throw Native.unexpected(t); }
                if (r != 0) throw new ErrnoException("listen", Native.errno(cs));
                if (staged) Libc.rename(staging, path);
            } catch (ErrnoException | RuntimeException e) {
                if (staged) Libc.unlinkIfExists(staging); // no half-made socket file left behind
                throw e;
            }
            return fd;
        } catch (ErrnoException | RuntimeException e) {
            fd.close();
            if (staged) Libc.unlinkIfExists(staging);
            throw e;
        }
    }

    /** accept4(2) of a non-blocking, close-on-exec connection; null when none is pending. */
    public static Fd accept(Fd listener) throws ErrnoException {
        MemorySegment cs = Native.captureSegment();
        while (true) {
            int r;
            try { r = (int) Accept4.H.invokeExact(cs, listener.get(), MemorySegment.NULL, MemorySegment.NULL, SOCK_NONBLOCK | SOCK_CLOEXEC); }
            catch (Throwable t) { throw Native.unexpected(t); }
            if (r >= 0) return Fd.adopt(r);
            int e = Native.errno(cs);
            if (e == Errno.EINTR) continue;
            if (e == Errno.EAGAIN) return null;
            throw new ErrnoException("accept4", e);
        }
    }

    /** A blocking connection to a listening socket. */
    public static Fd connect(String path) throws ErrnoException {
        return connected(socket(false), path);
    }

    /** Connects {@code fd} to {@code path}; closes it if that fails. */
    private static Fd connected(Fd fd, String path) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment addr = sockaddr(a, path);
            MemorySegment cs = Native.captureSegment();
            int r;
            try { r = (int) Connect.H.invokeExact(cs, fd.get(), addr, (int) addr.byteSize()); } catch (Throwable t) { throw Native.unexpected(t); }
            if (r != 0) throw new ErrnoException("connect " + path, Native.errno(cs));
            return fd;
        } catch (ErrnoException | RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    /** shutdown(2) both directions: wakes a peer or a thread blocked on the socket. Errors ignored. */
    public static void shutdown(Fd fd) {
        if (!fd.isOpen()) return;
        try { int r = (int) Shutdown.H.invokeExact(Native.captureSegment(), fd.get(), SHUT_RDWR); }
        catch (IllegalStateException closedMeanwhile) { /* nothing to wake */ }
        catch (Throwable t) { throw Native.unexpected(t); }
    }

    public static void setIntOption(Fd fd, int option, int value) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocateFrom(JAVA_INT, value);
            MemorySegment cs = Native.captureSegment();
            int r;
            try { r = (int) Setsockopt.H.invokeExact(cs, fd.get(), SOL_SOCKET, option, v, 4); } catch (Throwable t) { throw Native.unexpected(t); }
            if (r != 0) throw new ErrnoException("setsockopt", Native.errno(cs));
        }
    }

    /** The process at the other end of a connected unix socket, as the kernel recorded it at connect time. */
    public record PeerCredentials(int pid, int uid, int gid) {}

    /** getsockopt(SO_PEERCRED): who connected (or, for a socketpair, who created it). */
    public static PeerCredentials peerCredentials(Fd fd) throws ErrnoException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ucred = a.allocate(JAVA_INT, 3); // struct ucred { pid_t pid; uid_t uid; gid_t gid; }
            MemorySegment len = a.allocateFrom(JAVA_INT, (int) ucred.byteSize());
            MemorySegment cs = Native.captureSegment();
            int r;
            try { r = (int) Getsockopt.H.invokeExact(cs, fd.get(), SOL_SOCKET, SO_PEERCRED, ucred, len); } catch (Throwable t) { throw Native.unexpected(t); }
            if (r != 0) throw new ErrnoException("getsockopt SO_PEERCRED", Native.errno(cs));
            return new PeerCredentials(ucred.getAtIndex(JAVA_INT, 0), ucred.getAtIndex(JAVA_INT, 1), ucred.getAtIndex(JAVA_INT, 2));
        }
    }

    /** A blocking datagram socket connected to {@code path} (e.g. /dev/log), close-on-exec. */
    public static Fd connectDatagram(String path) throws ErrnoException {
        MemorySegment cs = Native.captureSegment();
        int s;
        try { s = (int) Socket.H.invokeExact(cs, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0); } catch (Throwable t) { throw Native.unexpected(t); }
        if (s < 0) throw new ErrnoException("socket", Native.errno(cs));
        return connected(Fd.adopt(s), path);
    }

    /**
     * sendmsg(2) of the given buffers as one gather list, with {@code fds} attached as SCM_RIGHTS
     * (only meaningful on the first byte of a message). Never raises SIGPIPE. Heap buffers are copied
     * to native memory first, so pass native segments for large data.
     * Returns bytes sent, or {@link Libc#AGAIN} when a non-blocking socket is full.
     */
    public static long send(Fd fd, MemorySegment[] buffers, int[] fds) throws ErrnoException {
        if (fds.length > MAX_FDS) throw new IllegalArgumentException("too many fds: " + fds.length);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment msg = a.allocate(MsgHdr.LAYOUT);
            MemorySegment iov = a.allocate(MsgHdr.IOVEC, Math.max(1, buffers.length));
            for (int i = 0; i < buffers.length; i++) {
                long base = i * MsgHdr.IOVEC.byteSize();
                // the kernel can only read native memory: heap buffers (small messages) are staged
                MemorySegment b = buffers[i].isNative() ? buffers[i] : a.allocate(buffers[i].byteSize()).copyFrom(buffers[i]);
                iov.set(ADDRESS, base + MsgHdr.IOV_BASE, b);
                iov.set(JAVA_LONG, base + MsgHdr.IOV_LEN, buffers[i].byteSize());
            }
            msg.set(ADDRESS, MsgHdr.IOV, iov);
            msg.set(JAVA_LONG, MsgHdr.IOVLEN, buffers.length);
            if (fds.length > 0) {
                long space = MsgHdr.cmsgSpace(4L * fds.length);
                MemorySegment ctl = a.allocate(space, 8);
                ctl.set(JAVA_LONG, MsgHdr.CMSG_LEN_OFF, MsgHdr.cmsgLen(4L * fds.length));
                ctl.set(JAVA_INT, MsgHdr.CMSG_LEVEL, SOL_SOCKET);
                ctl.set(JAVA_INT, MsgHdr.CMSG_TYPE, SCM_RIGHTS);
                for (int i = 0; i < fds.length; i++) ctl.set(JAVA_INT, MsgHdr.cmsgDataOffset() + 4L * i, fds[i]);
                msg.set(ADDRESS, MsgHdr.CONTROL, ctl);
                msg.set(JAVA_LONG, MsgHdr.CONTROLLEN, space);
            }
            MemorySegment cs = Native.captureSegment();
            while (true) {
                long n;
                try { n = (long) Sendmsg.H.invokeExact(cs, fd.get(), msg, MSG_NOSIGNAL); } catch (Throwable t) { throw Native.unexpected(t); }
                if (n >= 0) return n;
                int e = Native.errno(cs);
                if (e == Errno.EINTR) continue;
                if (e == Errno.EAGAIN) return Libc.AGAIN;
                throw new ErrnoException("sendmsg", e);
            }
        }
    }

    /** What one recvmsg brought: byte count (0 = peer closed, {@link Libc#AGAIN} = nothing yet) and owned fds. */
    public record Received(long bytes, List<Fd> fds) {
        public void closeFds() { fds.forEach(Fd::close); }
    }

    /**
     * recvmsg(2) into {@code buf[0, len)}, accepting up to {@link #MAX_FDS} descriptors.
     * A truncated control message (MSG_CTRUNC) closes whatever did arrive and fails.
     */
    public static Received receive(Fd fd, MemorySegment buf, long len) throws ErrnoException {
        if (len < 0 || len > buf.byteSize()) throw new IndexOutOfBoundsException("length " + len);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment msg = a.allocate(MsgHdr.LAYOUT);
            MemorySegment iov = a.allocate(MsgHdr.IOVEC);
            iov.set(ADDRESS, MsgHdr.IOV_BASE, buf);
            iov.set(JAVA_LONG, MsgHdr.IOV_LEN, len);
            long space = MsgHdr.cmsgSpace(4L * MAX_FDS);
            MemorySegment ctl = a.allocate(space, 8);
            msg.set(ADDRESS, MsgHdr.IOV, iov);
            msg.set(JAVA_LONG, MsgHdr.IOVLEN, 1);
            msg.set(ADDRESS, MsgHdr.CONTROL, ctl);
            msg.set(JAVA_LONG, MsgHdr.CONTROLLEN, space);
            MemorySegment cs = Native.captureSegment();
            long n;
            while (true) {
                try { n = (long) Recvmsg.H.invokeExact(cs, fd.get(), msg, MSG_CMSG_CLOEXEC); } catch (Throwable t) { throw Native.unexpected(t); }
                if (n >= 0) break;
                int e = Native.errno(cs);
                if (e == Errno.EINTR) continue;
                if (e == Errno.EAGAIN) return new Received(Libc.AGAIN, List.of());
                throw new ErrnoException("recvmsg", e);
            }
            List<Fd> fds = parseRights(ctl, msg.get(JAVA_LONG, MsgHdr.CONTROLLEN));
            if ((msg.get(JAVA_INT, MsgHdr.FLAGS) & MSG_CTRUNC) != 0) {
                fds.forEach(Fd::close);
                throw new ErrnoException("recvmsg (control data truncated)", Errno.EMFILE);
            }
            return new Received(n, fds);
        }
    }

    /** Walks the control buffer with bounds checks; every SCM_RIGHTS descriptor becomes an owned Fd. */
    static List<Fd> parseRights(MemorySegment ctl, long controlLen) {
        List<Fd> fds = new ArrayList<>();
        long end = Math.min(controlLen, ctl.byteSize());
        long off = 0;
        long hdr = MsgHdr.CMSGHDR.byteSize();
        while (off + hdr <= end) {
            long clen = ctl.get(JAVA_LONG, off + MsgHdr.CMSG_LEN_OFF);
            if (clen < hdr || off + clen > end) break;
            if (ctl.get(JAVA_INT, off + MsgHdr.CMSG_LEVEL) == SOL_SOCKET && ctl.get(JAVA_INT, off + MsgHdr.CMSG_TYPE) == SCM_RIGHTS) {
                long n = (clen - hdr) / 4;
                for (long i = 0; i < n; i++) fds.add(Fd.adopt(ctl.get(JAVA_INT, off + hdr + 4 * i)));
            }
            off += MsgHdr.cmsgAlign(clen);
        }
        return fds;
    }

    private static Fd socket(boolean nonBlocking) throws ErrnoException {
        MemorySegment cs = Native.captureSegment();
        int r;
        int type = SOCK_STREAM | SOCK_CLOEXEC | (nonBlocking ? SOCK_NONBLOCK : 0);
        try { r = (int) Socket.H.invokeExact(cs, AF_UNIX, type, 0); } catch (Throwable t) { throw Native.unexpected(t); }
        if (r < 0) throw new ErrnoException("socket", Native.errno(cs));
        return Fd.adopt(r);
    }

    private static MemorySegment sockaddr(Arena a, String path) {
        byte[] p = path.getBytes(StandardCharsets.UTF_8);
        if (p.length >= SockaddrUn.PATH_MAX) throw new IllegalArgumentException("socket path too long (max 107 bytes): " + path);
        MemorySegment addr = a.allocate(SockaddrUn.LAYOUT);
        addr.set(JAVA_SHORT, SockaddrUn.FAMILY, (short) AF_UNIX);
        MemorySegment.copy(MemorySegment.ofArray(p), 0, addr, SockaddrUn.PATH, p.length);
        return addr;
    }
}
