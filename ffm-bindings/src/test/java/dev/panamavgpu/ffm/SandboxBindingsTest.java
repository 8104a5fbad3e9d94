package dev.panamavgpu.ffm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The sandbox bindings that only read state (nothing here restricts the test JVM; the sandbox tests run in child JVMs). */
class SandboxBindingsTest {
    private static final long SYS_GETPID = 39;

    @Test
    void rawSyscallReturnsTheResult() throws ErrnoException {
        assertEquals(Libc.getpid(), Syscall.call("getpid", SYS_GETPID, 0, 0, 0));
    }

    @Test
    void rawSyscallReportsErrno() {
        ErrnoException e = assertThrows(ErrnoException.class, () -> Syscall.call("close(-1)", 3, -1, 0, 0));
        assertEquals(Errno.EBADF, e.errno());
    }

    @Test
    void landlockAbiIsKnownOrItsAbsenceIsExplained() {
        try {
            int abi = Landlock.abiVersion();
            assertTrue(abi >= 1, "ABI " + abi);
            assertTrue(Landlock.fsRights(abi) >= Landlock.fsRights(1));
        } catch (ErrnoException e) {
            assertTrue(e.errno() == Errno.ENOSYS || e.errno() == Errno.EOPNOTSUPP, e.getMessage());
        }
    }

    @Test
    void fsRightsGrowWithTheAbi() {
        assertEquals(0x1FFF, Landlock.fsRights(1));
        assertEquals(0x3FFF, Landlock.fsRights(2));
        assertEquals(0x7FFF, Landlock.fsRights(3));
        assertEquals(0x7FFF, Landlock.fsRights(4));
        assertEquals(0xFFFF, Landlock.fsRights(5));
    }

    @Test
    void capabilitiesOfThisThreadAreReadable() throws ErrnoException {
        Capabilities.Sets s = Capabilities.ofThisThread();
        assertEquals(0, s.effective() & ~s.permitted(), "effective is a subset of permitted");
    }

    @Test
    void seccompKnowsItsBasicActions() {
        assertTrue(Seccomp.actionAvailable(Seccomp.RET_ALLOW));
        assertTrue(Seccomp.actionAvailable(Seccomp.RET_ERRNO));
    }
}
