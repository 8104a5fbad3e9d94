package dev.panamavgpu.ffm;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;

/**
 * glibc's {@code syscall(2)}: a system call by number, for calls glibc has no wrapper for (seccomp,
 * landlock_*) or whose wrapper is variadic. Every argument travels as a 64-bit word; pointers as
 * {@code segment.address()}. Unused arguments are passed as 0, which the kernel ignores.
 */
public final class Syscall {
    private Syscall() {}

    // x86_64 numbers (asm/unistd_64.h) of the calls the bindings make through here
    static final long SYS_PRCTL = 157, SYS_CAPGET = 125, SYS_CAPSET = 126, SYS_OPENAT = 257, SYS_SECCOMP = 317,
            SYS_LANDLOCK_CREATE_RULESET = 444, SYS_LANDLOCK_ADD_RULE = 445, SYS_LANDLOCK_RESTRICT_SELF = 446;

    // long syscall(long number, ...): the number is the only fixed parameter
    private static final class Call {
        static final MethodHandle H = Native.variadicErrnoHandle("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG), 1);
    }

    /** The call's non-negative result; a failure becomes an {@link ErrnoException} named {@code name}. */
    public static long call(String name, long nr, long a1, long a2, long a3, long a4, long a5) throws ErrnoException {
        var cs = Native.captureSegment();
        long r;
        try { r = (long) Call.H.invokeExact(cs, nr, a1, a2, a3, a4, a5); } catch (Throwable t) { throw Native.unexpected(t); }
        if (r == -1) throw new ErrnoException(name, Native.errno(cs));
        return r;
    }

    public static long call(String name, long nr, long a1, long a2, long a3) throws ErrnoException {
        return call(name, nr, a1, a2, a3, 0, 0);
    }
}
