package dev.panamavgpu.ffm;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Shared plumbing of the bindings: the linker, libc lookup and errno capture.
 * Every binding class builds its handles here, each in a holder class of its own, so a handle is
 * made on first use: making one spins classes (a downcall stub per shape, lambda forms), which at
 * start-up cost time and memory for calls a run may never make (docs/decisions.md).
 */
final class Native {
    private Native() {}

    static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    /** One capture segment per thread; GC-managed so short-lived threads leave nothing behind. */
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    /** A downcall whose first parameter is the errno capture segment. */
    @SuppressWarnings("restricted")
    static MethodHandle errnoHandle(String name, FunctionDescriptor fd) {
        MemorySegment sym = LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(sym, fd, CAPTURE_ERRNO);
    }

    /** As {@link #errnoHandle}, for a variadic C function whose fixed parameters are the first {@code fixed}. */
    @SuppressWarnings("restricted")
    static MethodHandle variadicErrnoHandle(String name, FunctionDescriptor fd, int fixed) {
        MemorySegment sym = LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(sym, fd, CAPTURE_ERRNO, Linker.Option.firstVariadicArg(fixed));
    }

    static MemorySegment captureSegment() {
        return CAPTURE.get();
    }

    static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    static AssertionError unexpected(Throwable t) {
        return new AssertionError("native call failed unexpectedly", t);
    }
}
