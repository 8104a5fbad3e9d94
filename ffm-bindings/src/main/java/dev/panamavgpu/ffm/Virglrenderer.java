package dev.panamavgpu.ffm;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.panamavgpu.ffm.layout.MsgHdr;
import dev.panamavgpu.ffm.layout.VirglLayouts;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * libvirglrenderer.so.1 (0.10.4): the calls a virtio-gpu 3D device makes. The library is looked up
 * on first use only ({@link #available()}), so a host without it still runs 2D.
 *
 * <p>virglrenderer keeps global state and binds its GL context to the thread that called
 * {@link #init}: one renderer per process, and every call from that one thread (the caller's
 * duty; a call from another thread aborts the process inside EGL). Fence upcalls arrive on that
 * thread too, inside {@link #poll()} or a submit.
 */
public final class Virglrenderer {
    public static final int USE_EGL = 1, THREAD_SYNC = 2, USE_GLX = 4, USE_SURFACELESS = 8, USE_GLES = 16;
    /** virgl_renderer_context_create_fence flag: a later fence on the ring may stand for this one. */
    public static final int FENCE_FLAG_MERGEABLE = 1;
    /** The callbacks version we fill: 3 adds write_context_fence (per-ring fences). */
    static final int CALLBACKS_VERSION = 3;

    /** Where fences signal: on the renderer thread, during a call into the library. Must not throw. */
    public interface FenceListener {
        /** Every fence created with {@link #createFence} up to {@code fenceId} (32 bits) has retired. */
        void fence(long fenceId);

        /** The fence {@code fenceId} of ring {@code ringIdx} of context {@code ctxId} has retired. */
        void contextFence(long ctxId, int ringIdx, long fenceId);
    }

    private Virglrenderer() {}

    /** The handles, resolved when this class is first touched: never by a 2D-only run. */
    private static final class Lib {
        static final SymbolLookup LOOKUP = SymbolLookup.libraryLookup("libvirglrenderer.so.1", Arena.global());
        static final MethodHandle INIT = h("virgl_renderer_init", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        static final MethodHandle POLL = h("virgl_renderer_poll", FunctionDescriptor.ofVoid());
        static final MethodHandle GET_POLL_FD = h("virgl_renderer_get_poll_fd", FunctionDescriptor.of(JAVA_INT));
        static final MethodHandle CLEANUP = h("virgl_renderer_cleanup", FunctionDescriptor.ofVoid(ADDRESS));
        static final MethodHandle GET_CAP_SET = h("virgl_renderer_get_cap_set", FunctionDescriptor.ofVoid(JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle FILL_CAPS = h("virgl_renderer_fill_caps", FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, ADDRESS));
        static final MethodHandle CONTEXT_CREATE_WITH_FLAGS = h("virgl_renderer_context_create_with_flags",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        static final MethodHandle CONTEXT_DESTROY = h("virgl_renderer_context_destroy", FunctionDescriptor.ofVoid(JAVA_INT));
        static final MethodHandle SUBMIT_CMD = h("virgl_renderer_submit_cmd", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
        static final MethodHandle CREATE_FENCE = h("virgl_renderer_create_fence", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle CONTEXT_CREATE_FENCE = h("virgl_renderer_context_create_fence",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
        static final MethodHandle RESOURCE_CREATE = h("virgl_renderer_resource_create", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        static final MethodHandle RESOURCE_UNREF = h("virgl_renderer_resource_unref", FunctionDescriptor.ofVoid(JAVA_INT));
        static final MethodHandle ATTACH_IOV = h("virgl_renderer_resource_attach_iov", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle DETACH_IOV = h("virgl_renderer_resource_detach_iov", FunctionDescriptor.ofVoid(JAVA_INT, ADDRESS, ADDRESS));
        static final MethodHandle TRANSFER_READ = h("virgl_renderer_transfer_read_iov", FunctionDescriptor.of(JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT));
        static final MethodHandle TRANSFER_WRITE = h("virgl_renderer_transfer_write_iov", FunctionDescriptor.of(JAVA_INT,
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_INT));
        static final MethodHandle CTX_ATTACH = h("virgl_renderer_ctx_attach_resource", FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT));
        static final MethodHandle CTX_DETACH = h("virgl_renderer_ctx_detach_resource", FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT));
        static final MethodHandle GET_INFO = h("virgl_renderer_resource_get_info", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

        @SuppressWarnings("restricted")
        private static MethodHandle h(String name, FunctionDescriptor fd) {
            return Native.LINKER.downcallHandle(LOOKUP.find(name)
                    .orElseThrow(() -> new UnsatisfiedLinkError("libvirglrenderer.so.1 has no " + name)), fd);
        }
    }

    private static volatile String unavailable;
    private static volatile boolean probed;

    /** Whether libvirglrenderer.so.1 loads here with every symbol we call; loads it on the first call. */
    public static boolean available() {
        return unavailableReason() == null;
    }

    /** Why the library cannot be used, or null if it can. */
    public static synchronized String unavailableReason() {
        if (!probed) {
            try {
                MethodHandle unused = Lib.INIT;
                unavailable = null;
            } catch (IllegalArgumentException | UnsatisfiedLinkError | ExceptionInInitializerError | NoClassDefFoundError e) {
                unavailable = "libvirglrenderer.so.1 cannot be loaded: " + (e.getCause() != null ? e.getCause() : e);
            }
            probed = true;
        }
        return unavailable;
    }

    // ---- the initialised renderer (one per process) -------------------------------------------

    private static FenceListener listener;
    private static int drmFd = -1;
    private static Arena callbackArena;

    /**
     * virgl_renderer_init with our callbacks. {@code renderNodeFd} >= 0 is handed out (a dup each
     * time: virglrenderer closes what it gets) through get_drm_fd; -1 lets virglrenderer choose
     * (with USE_SURFACELESS it needs none). The calling thread becomes the renderer thread.
     *
     * @return 0, or virglrenderer's negative error
     */
    @SuppressWarnings("restricted")
    public static synchronized int init(int flags, int renderNodeFd, FenceListener fences) {
        if (!available()) throw new IllegalStateException(unavailableReason());
        listener = fences;
        drmFd = renderNodeFd;
        if (callbackArena == null) {
            // lives as long as the process: virglrenderer keeps the pointer to the table
            callbackArena = Arena.global();
            MemorySegment cb = callbackArena.allocate(VirglLayouts.CALLBACKS);
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                MemorySegment writeFence = Native.LINKER.upcallStub(
                        l.findStatic(Virglrenderer.class, "writeFence", MethodType.methodType(void.class, MemorySegment.class, int.class)),
                        FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT), callbackArena);
                MemorySegment writeCtxFence = Native.LINKER.upcallStub(
                        l.findStatic(Virglrenderer.class, "writeContextFence",
                                MethodType.methodType(void.class, MemorySegment.class, int.class, int.class, long.class)),
                        FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, JAVA_INT, JAVA_LONG), callbackArena);
                MemorySegment getDrmFd = Native.LINKER.upcallStub(
                        l.findStatic(Virglrenderer.class, "getDrmFd", MethodType.methodType(int.class, MemorySegment.class)),
                        FunctionDescriptor.of(JAVA_INT, ADDRESS), callbackArena);
                cb.set(JAVA_INT, VirglLayouts.CB_VERSION, CALLBACKS_VERSION);
                cb.set(ADDRESS, VirglLayouts.CB_WRITE_FENCE, writeFence);
                cb.set(ADDRESS, VirglLayouts.CB_GET_DRM_FD, getDrmFd);
                cb.set(ADDRESS, VirglLayouts.CB_WRITE_CONTEXT_FENCE, writeCtxFence);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
            callbacks = cb;
            cookie = callbackArena.allocate(8); // virglrenderer refuses a NULL cookie (init returns -1)
        }
        try {
            return (int) Lib.INIT.invokeExact(cookie, flags, callbacks);
        } catch (Throwable t) { throw Native.unexpected(t); }
    }

    private static MemorySegment callbacks, cookie;

    // Upcalls: an exception escaping one would kill the JVM, so each one catches everything.
    private static void writeFence(MemorySegment cookie, int fence) {
        try { FenceListener f = listener; if (f != null) f.fence(Integer.toUnsignedLong(fence)); }
        catch (Throwable t) { System.err.println("panama-vgpu: fence listener failed: " + t); }
    }

    private static void writeContextFence(MemorySegment cookie, int ctxId, int ringIdx, long fenceId) {
        try { FenceListener f = listener; if (f != null) f.contextFence(Integer.toUnsignedLong(ctxId), ringIdx, fenceId); }
        catch (Throwable t) { System.err.println("panama-vgpu: fence listener failed: " + t); }
    }

    private static int getDrmFd(MemorySegment cookie) {
        if (drmFd < 0) return -1;
        try { return Libc.fcntl(drmFd, Libc.F_DUPFD_CLOEXEC, 0); } catch (Throwable t) { return -1; }
    }

    public static void poll() {
        try { Lib.POLL.invokeExact(); } catch (Throwable t) { throw Native.unexpected(t); }
    }

    /** The eventfd that becomes readable when fences may have retired (THREAD_SYNC), or -1. */
    public static int pollFd() {
        try { return (int) Lib.GET_POLL_FD.invokeExact(); } catch (Throwable t) { throw Native.unexpected(t); }
    }

    public static void cleanup() {
        try { Lib.CLEANUP.invokeExact(cookie); } catch (Throwable t) { throw Native.unexpected(t); }
    }

    /** A capability set's {max_version, max_size}; {0, 0} when the set is unknown. */
    public static int[] capSet(int set) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ver = a.allocate(JAVA_INT), size = a.allocate(JAVA_INT);
            Lib.GET_CAP_SET.invokeExact(set, ver, size);
            return new int[] {ver.get(JAVA_INT, 0), size.get(JAVA_INT, 0)};
        } catch (Throwable t) { throw Native.unexpected(t); }
    }

    /** Fills {@code out} (at least the set's max_size bytes) with capability set {@code set}, {@code version}. */
    public static void fillCaps(int set, int version, MemorySegment out) {
        try { Lib.FILL_CAPS.invokeExact(set, version, out); } catch (Throwable t) { throw Native.unexpected(t); }
    }

    /**
     * A context of capability set {@code flags & 0xff} (1 VIRGL, 2 VIRGL2; 0 is refused). An id that exists
     * already with the same capset returns 0 (the caller must track ids). 0 or an errno value.
     */
    public static int contextCreate(int ctxId, int flags, String name) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment n = a.allocateFrom(name);
            return (int) Lib.CONTEXT_CREATE_WITH_FLAGS.invokeExact(ctxId, flags, (int) n.byteSize() - 1, n);
        } catch (Throwable t) { throw Native.unexpected(t); }
    }

    public static void contextDestroy(int ctxId) {
        try { Lib.CONTEXT_DESTROY.invokeExact(ctxId); } catch (Throwable t) { throw Native.unexpected(t); }
    }

    /** Runs {@code dwords} 32-bit words of a virgl command stream in context {@code ctxId}; 0 or an errno value. */
    public static int submit(MemorySegment buffer, int ctxId, int dwords) {
        try { return (int) Lib.SUBMIT_CMD.invokeExact(buffer, ctxId, dwords); } catch (Throwable t) { throw Native.unexpected(t); }
    }

    public static int createFence(int fenceId, int ctxId) {
        try { return (int) Lib.CREATE_FENCE.invokeExact(fenceId, ctxId); } catch (Throwable t) { throw Native.unexpected(t); }
    }

    public static int contextCreateFence(int ctxId, int flags, int ringIdx, long fenceId) {
        try { return (int) Lib.CONTEXT_CREATE_FENCE.invokeExact(ctxId, flags, ringIdx, fenceId); } catch (Throwable t) { throw Native.unexpected(t); }
    }

    /** {@code args} is a {@link VirglLayouts#CREATE_ARGS}; no initial iovecs. 0 or an errno value. */
    public static int resourceCreate(MemorySegment args) {
        try { return (int) Lib.RESOURCE_CREATE.invokeExact(args, MemorySegment.NULL, 0); } catch (Throwable t) { throw Native.unexpected(t); }
    }

    public static void resourceUnref(int handle) {
        try { Lib.RESOURCE_UNREF.invokeExact(handle); } catch (Throwable t) { throw Native.unexpected(t); }
    }

    /**
     * Attaches {@code count} iovecs ({@link MsgHdr#IOVEC} each). virglrenderer keeps the array: it
     * must stay valid until {@link #detachIov} or {@link #resourceUnref}.
     */
    public static int attachIov(int handle, MemorySegment iovecs, int count) {
        try { return (int) Lib.ATTACH_IOV.invokeExact(handle, iovecs, count); } catch (Throwable t) { throw Native.unexpected(t); }
    }

    public static void detachIov(int handle) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment iov = a.allocate(ADDRESS), n = a.allocate(JAVA_INT);
            Lib.DETACH_IOV.invokeExact(handle, iov, n);
        } catch (Throwable t) { throw Native.unexpected(t); }
    }

    /** Host resource -> iovecs ({@code iovecs} NULL with count 0: the resource's attached backing). */
    public static int transferRead(int handle, int ctxId, int level, int stride, int layerStride, MemorySegment box,
                                   long offset, MemorySegment iovecs, int count) {
        try { return (int) Lib.TRANSFER_READ.invokeExact(handle, ctxId, level, stride, layerStride, box, offset, iovecs, count); }
        catch (Throwable t) { throw Native.unexpected(t); }
    }

    /** Iovecs -> host resource ({@code iovecs} NULL with count 0: the resource's attached backing). */
    public static int transferWrite(int handle, int ctxId, int level, int stride, int layerStride, MemorySegment box,
                                    long offset, MemorySegment iovecs, int count) {
        try { return (int) Lib.TRANSFER_WRITE.invokeExact(handle, ctxId, level, stride, layerStride, box, offset, iovecs, count); }
        catch (Throwable t) { throw Native.unexpected(t); }
    }

    public static void ctxAttachResource(int ctxId, int handle) {
        try { Lib.CTX_ATTACH.invokeExact(ctxId, handle); } catch (Throwable t) { throw Native.unexpected(t); }
    }

    public static void ctxDetachResource(int ctxId, int handle) {
        try { Lib.CTX_DETACH.invokeExact(ctxId, handle); } catch (Throwable t) { throw Native.unexpected(t); }
    }

    /** Fills {@code info} ({@link VirglLayouts#RESOURCE_INFO}); 0 or an errno value. */
    public static int resourceInfo(int handle, MemorySegment info) {
        try { return (int) Lib.GET_INFO.invokeExact(handle, info); } catch (Throwable t) { throw Native.unexpected(t); }
    }
}
