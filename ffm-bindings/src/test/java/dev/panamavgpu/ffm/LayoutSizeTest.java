package dev.panamavgpu.ffm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.panamavgpu.ffm.layout.CapUser;
import dev.panamavgpu.ffm.layout.EpollEvent;
import dev.panamavgpu.ffm.layout.LandlockAttr;
import dev.panamavgpu.ffm.layout.MsgHdr;
import dev.panamavgpu.ffm.layout.SeccompData;
import dev.panamavgpu.ffm.layout.SockFilter;
import dev.panamavgpu.ffm.layout.SockaddrUn;
import dev.panamavgpu.ffm.layout.Stat;
import dev.panamavgpu.ffm.layout.VirglLayouts;
import org.junit.jupiter.api.Test;

/** Sizes and offsets against the values measured with a C compiler (shared/reference/linux-x86_64-consts.txt). */
class LayoutSizeTest {
    @Test
    void msghdr() {
        assertEquals(56, MsgHdr.LAYOUT.byteSize());
        assertEquals(0, MsgHdr.NAME);
        assertEquals(8, MsgHdr.NAMELEN);
        assertEquals(16, MsgHdr.IOV);
        assertEquals(24, MsgHdr.IOVLEN);
        assertEquals(32, MsgHdr.CONTROL);
        assertEquals(40, MsgHdr.CONTROLLEN);
        assertEquals(48, MsgHdr.FLAGS);
    }

    @Test
    void cmsghdrAndIovec() {
        assertEquals(16, MsgHdr.CMSGHDR.byteSize());
        assertEquals(8, MsgHdr.CMSG_LEVEL);
        assertEquals(12, MsgHdr.CMSG_TYPE);
        assertEquals(20, MsgHdr.cmsgLen(4));
        assertEquals(24, MsgHdr.cmsgSpace(4));
        assertEquals(16, MsgHdr.cmsgDataOffset());
        assertEquals(16, MsgHdr.IOVEC.byteSize());
    }

    @Test
    void sockaddrUn() {
        assertEquals(110, SockaddrUn.LAYOUT.byteSize());
        assertEquals(2, SockaddrUn.PATH);
    }

    @Test
    void epollEventIsPacked() {
        assertEquals(12, EpollEvent.SIZE);
        assertEquals(4, EpollEvent.DATA);
    }

    @Test
    void stat() {
        assertEquals(144, Stat.LAYOUT.byteSize());
        assertEquals(24, Stat.ST_MODE);
        assertEquals(48, Stat.ST_SIZE);
    }

    @Test
    void sockFilterAndFprog() {
        assertEquals(8, SockFilter.SIZE);
        assertEquals(0, SockFilter.CODE);
        assertEquals(2, SockFilter.JT);
        assertEquals(3, SockFilter.JF);
        assertEquals(4, SockFilter.K);
        assertEquals(16, SockFilter.FPROG.byteSize());
        assertEquals(0, SockFilter.FPROG_LEN);
        assertEquals(8, SockFilter.FPROG_FILTER);
    }

    @Test
    void seccompData() {
        assertEquals(64, SeccompData.LAYOUT.byteSize());
        assertEquals(0, SeccompData.NR);
        assertEquals(4, SeccompData.ARCH);
        assertEquals(8, SeccompData.IP);
        assertEquals(16, SeccompData.ARGS);
        assertEquals(16, SeccompData.argLow(0));
        assertEquals(56, SeccompData.argLow(5));
    }

    @Test
    void landlockAttrs() {
        assertEquals(24, LandlockAttr.RULESET.byteSize());
        assertEquals(8, LandlockAttr.HANDLED_ACCESS_NET);
        assertEquals(16, LandlockAttr.SCOPED);
        assertEquals(12, LandlockAttr.PATH_BENEATH.byteSize()); // packed
        assertEquals(0, LandlockAttr.ALLOWED_ACCESS);
        assertEquals(8, LandlockAttr.PARENT_FD);
    }

    @Test
    void capUser() {
        assertEquals(8, CapUser.HEADER.byteSize());
        assertEquals(12, CapUser.DATA.byteSize());
        assertEquals(4, CapUser.PID);
        assertEquals(8, CapUser.INHERITABLE);
    }

    @Test
    void constants() {
        assertEquals(1, UnixSockets.AF_UNIX);
        assertEquals(0x80000, UnixSockets.SOCK_CLOEXEC);
        assertEquals(0x4000, UnixSockets.MSG_NOSIGNAL);
        assertEquals(0x40000000, UnixSockets.MSG_CMSG_CLOEXEC);
        assertEquals(0x800, EventFd.EFD_NONBLOCK);
        assertEquals(1033, Libc.F_ADD_SEALS);
    }

    /** virglrenderer 0.10.4's virglrenderer.h on x86_64 (shared/reference/virgl.md). */
    @Test
    void virglStructs() {
        assertEquals(72, VirglLayouts.CALLBACKS.byteSize());
        assertEquals(0, VirglLayouts.CB_VERSION);
        assertEquals(8, VirglLayouts.CB_WRITE_FENCE);
        assertEquals(40, VirglLayouts.CB_GET_DRM_FD);
        assertEquals(48, VirglLayouts.CB_WRITE_CONTEXT_FENCE);
        assertEquals(44, VirglLayouts.CREATE_ARGS.byteSize());
        assertEquals(0, VirglLayouts.CA_HANDLE);
        assertEquals(8, VirglLayouts.CA_FORMAT);
        assertEquals(16, VirglLayouts.CA_WIDTH);
        assertEquals(32, VirglLayouts.CA_LAST_LEVEL);
        assertEquals(40, VirglLayouts.CA_FLAGS);
        assertEquals(24, VirglLayouts.BOX.byteSize());
        assertEquals(12, VirglLayouts.BOX_W);
        assertEquals(20, VirglLayouts.BOX_D);
        assertEquals(36, VirglLayouts.RESOURCE_INFO.byteSize());
        assertEquals(20, VirglLayouts.RI_FLAGS);
        assertEquals(28, VirglLayouts.RI_STRIDE);
    }
}
