package dev.panamavgpu.gpu.virgl;

import dev.panamavgpu.ffm.Epoll;
import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.EventFd;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.ffm.Virglrenderer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * virglrenderer, owned by one platform thread ("virgl") for the life of the process: the GL
 * context is bound to the thread that initialised it and virglrenderer has global state, so there
 * is at most one Renderer per process ({@link #shared}).
 *
 * <p>How work crosses: a device's loop thread calls {@link #run}; the work runs on the renderer
 * thread, in submission order, and its result goes back through the {@link Executor} the caller
 * gave (the loop's {@code execute} under the device's FaultScope). Fence retirements arrive on the
 * renderer thread (virglrenderer's upcall inside {@code poll}) and go to the current
 * {@link FenceSink} the same way. The renderer thread sleeps in epoll on a task eventfd and
 * virglrenderer's own poll fd (THREAD_SYNC), so nothing on the loop ever waits for the GPU.
 */
public final class Renderer {
    private static final Logger log = LoggerFactory.getLogger(Renderer.class);
    private static final long TASK_TOKEN = 1, FENCE_TOKEN = 2;
    private static Renderer shared;

    /** A capability set as virglrenderer reports it, with its data for every version 1..maxVersion. */
    public record Capset(int id, int maxVersion, int maxSize, List<byte[]> versions) {
        public byte[] data(int version) { return versions.get(version - 1); }
    }

    /** Where fence retirements go; called on the renderer thread, must hand over, not work. */
    public interface FenceSink {
        FenceSink NONE = new FenceSink() {
            @Override public void fence(long fenceId) {}
            @Override public void contextFence(long ctxId, int ringIdx, long fenceId) {}
        };

        void fence(long fenceId);

        void contextFence(long ctxId, int ringIdx, long fenceId);
    }

    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Fd wake;
    private final Thread thread;
    private final String renderNode;
    private volatile FenceSink sink = FenceSink.NONE;
    private volatile List<Capset> capsets = List.of();
    private volatile boolean stopping;

    private Renderer(String renderNode) throws ErrnoException {
        this.renderNode = renderNode;
        this.wake = EventFd.create(true);
        this.thread = Thread.ofPlatform().name("virgl").daemon(true).unstarted(this::loop);
    }

    /**
     * The process's renderer, started on first call: initialises virglrenderer on its own thread and
     * waits (up to 30 s; llvmpipe takes about 200 ms) for the outcome. Start-up path only, never a loop.
     *
     * @param renderNode a DRM render node (/dev/dri/renderD128) or null for EGL surfaceless (llvmpipe)
     * @throws RendererException when the library is missing or initialisation fails
     */
    public static synchronized Renderer shared(String renderNode) throws RendererException {
        if (shared != null) {
            if (!java.util.Objects.equals(shared.renderNode, renderNode))
                throw new RendererException("virglrenderer already runs with render node " + shared.renderNode);
            return shared;
        }
        String why = Virglrenderer.unavailableReason();
        if (why != null) throw new RendererException(why);
        Renderer r;
        try {
            r = new Renderer(renderNode);
        } catch (ErrnoException e) {
            throw new RendererException("cannot create the renderer's eventfd: " + e.getMessage());
        }
        r.thread.start();
        try {
            r.started.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new RendererException(e.getCause().getMessage());
        } catch (TimeoutException | InterruptedException e) {
            throw new RendererException("virglrenderer did not initialise in 30 s");
        }
        shared = r;
        return r;
    }

    /** Whether {@link #shared} can work on this host, found by starting it (the JVM's --print-capabilities probe). */
    public static boolean works(String renderNode) {
        try {
            shared(renderNode);
            return true;
        } catch (RendererException e) {
            log.debug("virgl unavailable: {}", e.getMessage());
            return false;
        }
    }

    private final CompletableFuture<Void> started = new CompletableFuture<>();

    public List<Capset> capsets() { return capsets; }

    /** Routes fence retirements to {@code s} (a device on attach) or nowhere ({@link FenceSink#NONE}). */
    public synchronized void fences(FenceSink s) { this.sink = s; }

    /** Stops routing fences to {@code s}, unless another sink (a newer device) has taken over already. */
    public synchronized void stopFences(FenceSink s) { if (sink == s) sink = FenceSink.NONE; }

    /** Whether the caller is the renderer thread (for assertions). */
    public boolean inRendererThread() { return Thread.currentThread() == thread; }

    /**
     * Runs {@code work} on the renderer thread after everything submitted before it, then hands its
     * result to {@code done} through {@code back}. A throwing {@code work} reaches {@code done} never:
     * the throwable is rethrown through {@code back}, where the caller's fault scope contains it.
     */
    public <T> void run(Supplier<T> work, Executor back, Consumer<T> done) {
        submit(() -> {
            T result;
            try {
                result = work.get();
            } catch (RuntimeException | Error e) {
                back.execute(() -> { throw new IllegalStateException("virgl work failed", e); });
                return;
            }
            back.execute(() -> done.accept(result));
        });
    }

    /** Runs {@code work} on the renderer thread with no answer (freeing, fence creation). */
    public void submit(Runnable work) {
        if (stopping) return;
        tasks.add(work);
        try {
            EventFd.signal(wake.get(), 1);
        } catch (ErrnoException e) {
            throw new IllegalStateException("cannot wake the renderer thread", e);
        }
    }

    private void loop() {
        int pollFd;
        try {
            Libc.setenvIfUnset("MESA_SHADER_CACHE_DISABLE", "true"); // repeatable, and no home directory needed
            Libc.setenvIfUnset("LP_NUM_THREADS", String.valueOf(Math.min(4, Runtime.getRuntime().availableProcessors())));
            int flags = Virglrenderer.USE_EGL | Virglrenderer.THREAD_SYNC;
            Fd node = null;
            if (renderNode != null) node = Libc.open(renderNode, Libc.O_RDWR);
            else flags |= Virglrenderer.USE_SURFACELESS;
            int r = Virglrenderer.init(flags, node == null ? -1 : node.get(), new Virglrenderer.FenceListener() {
                @Override public void fence(long fenceId) { sink.fence(fenceId); }
                @Override public void contextFence(long ctxId, int ringIdx, long fenceId) { sink.contextFence(ctxId, ringIdx, fenceId); }
            });
            if (r != 0) {
                started.completeExceptionally(new RendererException("virgl_renderer_init failed (" + r + ")"
                        + (renderNode == null ? " with EGL surfaceless" : " on " + renderNode)));
                return;
            }
            capsets = readCapsets();
            pollFd = Virglrenderer.pollFd();
            log.info("virglrenderer ready ({}), cap sets {}", renderNode == null ? "EGL surfaceless" : renderNode,
                    capsets.stream().map(c -> c.id() + " v" + c.maxVersion()).toList());
        } catch (ErrnoException | RuntimeException e) {
            started.completeExceptionally(new RendererException("virglrenderer: " + e.getMessage()));
            return;
        }
        started.complete(null);
        try (Epoll ep = new Epoll(4)) {
            ep.add(wake.get(), Epoll.EPOLLIN, TASK_TOKEN);
            if (pollFd >= 0) ep.add(pollFd, Epoll.EPOLLIN, FENCE_TOKEN);
            while (!stopping) {
                // without a poll fd, fences are polled every 5 ms
                int n = ep.await(pollFd >= 0 ? -1 : 5);
                for (int i = 0; i < n; i++) if (ep.readyToken(i) == TASK_TOKEN) EventFd.drain(wake.get());
                Runnable t;
                while ((t = tasks.poll()) != null) {
                    try {
                        t.run();
                    } catch (RuntimeException | Error e) {
                        log.error("renderer task failed", e); // run() wraps device work; this is plumbing
                    }
                }
                Virglrenderer.poll(); // retires fences: write_fence upcalls happen here
            }
        } catch (ErrnoException e) {
            log.error("the renderer thread's epoll failed; 3D stops", e);
        }
    }

    private static List<Capset> readCapsets() {
        List<Capset> l = new ArrayList<>();
        for (int id : new int[] {1, 2}) { // VIRGL, VIRGL2 (VENUS needs the VENUS flag and Vulkan)
            int[] vs = Virglrenderer.capSet(id);
            if (vs[0] <= 0 || vs[1] <= 0) continue;
            List<byte[]> versions = new ArrayList<>();
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = a.allocate(vs[1]);
                for (int v = 1; v <= vs[0]; v++) {
                    buf.fill((byte) 0);
                    Virglrenderer.fillCaps(id, v, buf);
                    versions.add(buf.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                }
            }
            l.add(new Capset(id, vs[0], vs[1], List.copyOf(versions)));
        }
        return List.copyOf(l);
    }
}
