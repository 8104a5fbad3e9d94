package dev.panamavgpu.gpu.device;

import static dev.panamavgpu.gpu.protocol.VirtioGpuType.*;

import dev.panamavgpu.gpu.display.DamageRect;
import dev.panamavgpu.gpu.display.DamageSource;
import dev.panamavgpu.gpu.display.ScreenSink;
import dev.panamavgpu.gpu.protocol.DisplayCursorPos;
import dev.panamavgpu.gpu.protocol.GpuCommand;
import dev.panamavgpu.gpu.protocol.GpuResponse;
import dev.panamavgpu.gpu.protocol.PixelFormat;
import dev.panamavgpu.gpu.protocol.Rect;
import dev.panamavgpu.memory.MemoryManager;
import dev.panamavgpu.memory.MemoryUnavailableException;
import dev.panamavgpu.memory.PixelBuffer;
import dev.panamavgpu.vhostuser.memory.GuestMemory;
import dev.panamavgpu.vhostuser.memory.GuestMemoryFault;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The 2D GPU: resources, scanouts and the cursor, and the execution of every 2D command against
 * them. Each command returns the response the guest gets; guest mistakes are response codes, never
 * exceptions. Owned by the connection's loop thread.
 */
public final class Gpu2d implements DamageSource {
    private static final Logger log = LoggerFactory.getLogger(Gpu2d.class);
    private static final int CURSOR_SIZE = 64;
    private static final int MIN_SCANOUT = 16;
    private static final ValueLayout.OfInt PIXEL = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final GpuResponse OK = new GpuResponse.OkNoData();

    private final GpuLimits limits;
    private final MemoryManager memoryManager;
    private final ScreenSink display;
    private final Map<Long, Resource2d> resources = new HashMap<>();
    private final Scanout[] scanouts;
    private final SecureRandom random = new SecureRandom();
    private GuestMemory memory = GuestMemory.EMPTY;

    public Gpu2d(GpuLimits limits, MemoryManager memoryManager, ScreenSink display) {
        this.limits = limits;
        this.memoryManager = memoryManager;
        this.display = display;
        this.scanouts = new Scanout[limits.maxOutputs()];
        java.util.Arrays.fill(scanouts, Scanout.DISABLED);
    }

    public int resourceCount() { return resources.size(); }
    public GpuLimits limits() { return limits; }

    /** The memory table changed: backings are resolved again (those in removed memory become unusable). */
    public void memoryChanged(GuestMemory m) {
        memory = m;
        for (Resource2d r : resources.values()) if (r.backing != null) r.backing.resolve(m);
    }

    /**
     * Executes one 2D or cursor command. Commands that need QEMU's answer are not handled here. Guest
     * memory that faults under a transfer is not a guest mistake but the front-end's: it is thrown
     * for the device to answer and to mark itself needs-reset.
     */
    public GpuResponse execute(GpuCommand c) throws GuestMemoryFault {
        return switch (c) {
            case GpuCommand.ResourceCreate2d x -> create(x);
            case GpuCommand.ResourceUnref x -> unref(x.resourceId());
            case GpuCommand.ResourceAttachBacking x -> attach(x);
            case GpuCommand.ResourceDetachBacking x -> detach(x.resourceId());
            case GpuCommand.TransferToHost2d x -> transfer(x);
            case GpuCommand.SetScanout x -> setScanout(x);
            case GpuCommand.ResourceFlush x -> flush(x);
            case GpuCommand.ResourceAssignUuid x -> assignUuid(x.resourceId());
            case GpuCommand.UpdateCursor x -> updateCursor(x);
            case GpuCommand.MoveCursor x -> moveCursor(x);
            // no 3D: there are no capsets (num_capsets is 0)
            case GpuCommand.GetCapsetInfo x -> err(RESP_ERR_INVALID_PARAMETER);
            case GpuCommand.GetCapset x -> err(RESP_ERR_INVALID_PARAMETER);
            case GpuCommand.GetDisplayInfo x -> err(RESP_ERR_UNSPEC);
            case GpuCommand.GetEdid x -> err(RESP_ERR_UNSPEC);
            // 3D commands reach here only without --virgl (Gpu3d takes them otherwise): unknown, as to QEMU's 2D device
            case GpuCommand.CtxCreate x -> err(RESP_ERR_UNSPEC);
            case GpuCommand.CtxDestroy x -> err(RESP_ERR_UNSPEC);
            case GpuCommand.CtxResource x -> err(RESP_ERR_UNSPEC);
            case GpuCommand.ResourceCreate3d x -> err(RESP_ERR_UNSPEC);
            case GpuCommand.Transfer3d x -> err(RESP_ERR_UNSPEC);
            case GpuCommand.Submit3d x -> err(RESP_ERR_UNSPEC);
            case GpuCommand.Unsupported x -> err(RESP_ERR_UNSPEC);
        };
    }

    /** Whether {@code id} names a 2D resource (or the host copy of a 3D one). */
    public boolean has(long id) { return resources.containsKey(id); }

    /** Whether resource {@code id} is shown on some scanout. */
    boolean shown(long id) {
        Resource2d r = resources.get(id);
        return r != null && r.scanoutMask != 0;
    }

    /**
     * A host copy of a 3D resource under the same id, with no guest backing: what the display reads
     * when the 3D resource is a scanout or the cursor. Filled by {@link #fillCopy}; freed by UNREF.
     */
    GpuResponse createHostCopy(long id, int format, long width, long height) {
        if (resources.containsKey(id)) return OK;
        PixelFormat f = PixelFormat.fromCode(format);
        if (f == null || width == 0 || height == 0 || width > limits.maxResourceDimension() || height > limits.maxResourceDimension())
            return err(RESP_ERR_INVALID_PARAMETER);
        try {
            resources.put(id, new Resource2d(id, f, width, height, memoryManager.reserve(Resource2d.bytes(width, height), "copy of 3D resource " + id)));
        } catch (MemoryUnavailableException e) {
            return err(RESP_ERR_OUT_OF_MEMORY);
        }
        return OK;
    }

    /** Copies rows of {@code src} ({@code srcStride} apart, starting at the rect's own position) into the host copy. */
    boolean fillCopy(long id, Rect rect, MemorySegment src, long srcStride) {
        Resource2d r = resources.get(id);
        if (r == null || !within(rect, r.width, r.height)) return false;
        MemorySegment px;
        try {
            px = memoryManager.use(r.pixels);
        } catch (MemoryUnavailableException e) {
            return false;
        }
        long rowBytes = rect.width() * 4;
        for (long row = rect.y(); row < rect.y() + rect.height(); row++) {
            MemorySegment.copy(src, row * srcStride + rect.x() * 4, px, row * r.stride + rect.x() * 4, rowBytes);
        }
        return true;
    }

    private static GpuResponse err(int code) { return new GpuResponse.Err(code); }

    /** A budget refusal is ERR_OUT_OF_MEMORY; a buffer the page file cannot give back, ERR_UNSPEC. */
    private static GpuResponse refused(MemoryUnavailableException e) {
        return err(e.reason() == MemoryUnavailableException.Reason.PAGE_FILE ? RESP_ERR_UNSPEC : RESP_ERR_OUT_OF_MEMORY);
    }

    private GpuResponse create(GpuCommand.ResourceCreate2d c) {
        if (c.resourceId() == 0 || resources.containsKey(c.resourceId())) return err(RESP_ERR_INVALID_RESOURCE_ID);
        PixelFormat f = PixelFormat.fromCode(c.format());
        if (f == null) return err(RESP_ERR_INVALID_PARAMETER);
        if (c.width() == 0 || c.height() == 0) return err(RESP_ERR_INVALID_PARAMETER);
        if (c.width() > limits.maxResourceDimension() || c.height() > limits.maxResourceDimension()) return err(RESP_ERR_INVALID_PARAMETER);
        if (resources.size() >= limits.maxResources()) return err(RESP_ERR_OUT_OF_MEMORY);
        PixelBuffer px;
        try {
            px = memoryManager.reserve(Resource2d.bytes(c.width(), c.height()), "resource " + c.resourceId());
        } catch (MemoryUnavailableException e) {
            log.debug("create refused: {}", e.getMessage());
            return err(RESP_ERR_OUT_OF_MEMORY);
        }
        resources.put(c.resourceId(), new Resource2d(c.resourceId(), f, c.width(), c.height(), px));
        return OK;
    }

    private GpuResponse unref(long id) {
        Resource2d r = resources.get(id);
        if (r == null) return err(RESP_ERR_INVALID_RESOURCE_ID);
        for (int i = 0; i < scanouts.length; i++) {
            if (scanouts[i].resourceId() == id) disableScanout(i);
        }
        resources.remove(id);
        free(r);
        return OK;
    }

    private static long backingCost(int entries) { return 16L * entries; }

    private void free(Resource2d r) {
        if (r.backing != null) memoryManager.releaseTable(backingCost(r.backing.entryCount()));
        r.backing = null;
        memoryManager.free(r.pixels); // announces the unmap to the display first
    }

    private GpuResponse attach(GpuCommand.ResourceAttachBacking c) {
        Resource2d r = resources.get(c.resourceId());
        if (r == null) return err(RESP_ERR_INVALID_RESOURCE_ID);
        if (r.backing != null) return err(RESP_ERR_UNSPEC); // double attach (CVE-2017-5578 shape)
        if (c.entries().isEmpty() || c.entries().size() > limits.maxBackingEntries()) return err(RESP_ERR_INVALID_PARAMETER);
        Backing b;
        switch (Backing.of(c.entries(), memory)) {
            case Backing.Result.Usable u -> b = u.backing();
            case Backing.Result.Refused refused -> {
                log.debug("attach to resource {} refused: {}", r.id, refused.why());
                return err(RESP_ERR_UNSPEC);
            }
        }
        try {
            memoryManager.chargeTable(backingCost(b.entryCount()), "backing of resource " + r.id);
        } catch (MemoryUnavailableException e) {
            return err(RESP_ERR_OUT_OF_MEMORY);
        }
        r.backing = b;
        return OK;
    }

    private GpuResponse detach(long id) {
        Resource2d r = resources.get(id);
        if (r == null) return err(RESP_ERR_INVALID_RESOURCE_ID);
        if (r.backing == null) return err(RESP_ERR_UNSPEC);
        memoryManager.releaseTable(backingCost(r.backing.entryCount()));
        r.backing = null;
        return OK;
    }

    private static boolean within(Rect rect, long w, long h) {
        return rect.x() <= w && rect.width() <= w - rect.x() && rect.y() <= h && rect.height() <= h - rect.y();
    }

    private GpuResponse transfer(GpuCommand.TransferToHost2d c) throws GuestMemoryFault {
        Resource2d r = resources.get(c.resourceId());
        if (r == null) return err(RESP_ERR_INVALID_RESOURCE_ID);
        if (r.backing == null || !r.backing.usable()) return err(RESP_ERR_UNSPEC);
        Rect rect = c.rect();
        if (!within(rect, r.width, r.height)) return err(RESP_ERR_INVALID_PARAMETER);
        if (rect.width() == 0 || rect.height() == 0) return OK;
        long rowBytes = rect.width() * 4;
        // last byte read = offset + stride*(h-1) + rowBytes; every term < 2^47, the sum cannot overflow
        long offset = c.offset();
        if (offset < 0 || offset > r.backing.length()) return err(RESP_ERR_INVALID_PARAMETER);
        long need = r.stride * (rect.height() - 1) + rowBytes;
        if (need > r.backing.length() - offset) return err(RESP_ERR_INVALID_PARAMETER);
        MemorySegment px;
        try {
            px = memoryManager.use(r.pixels);
        } catch (MemoryUnavailableException e) {
            log.debug("transfer refused: {}", e.getMessage());
            return refused(e);
        }
        try {
            long dst = rect.y() * r.stride + rect.x() * 4;
            if (rect.x() == 0 && rect.width() == r.width) {
                r.backing.copyOut(offset, px, dst, need); // whole rows: one contiguous copy
            } else {
                for (long row = 0; row < rect.height(); row++) {
                    r.backing.copyOut(offset + r.stride * row, px, dst + r.stride * row, rowBytes);
                }
            }
        } catch (IndexOutOfBoundsException e) {
            // the ranges were checked above: reaching this is a bug, not a guest mistake
            throw new IllegalStateException("transfer into resource " + r.id + " out of its bounds", e);
        }
        return OK;
    }

    private GpuResponse setScanout(GpuCommand.SetScanout c) {
        if (c.scanoutId() >= scanouts.length) return err(RESP_ERR_INVALID_SCANOUT_ID);
        int id = (int) c.scanoutId();
        if (c.resourceId() == 0) {
            disableScanout(id);
            return OK;
        }
        Resource2d r = resources.get(c.resourceId());
        if (r == null) return err(RESP_ERR_INVALID_RESOURCE_ID);
        Rect rect = c.rect();
        // QEMU's built-in device refuses scanouts smaller than 16x16; so do we, to behave the same
        if (rect.width() < MIN_SCANOUT || rect.height() < MIN_SCANOUT || !within(rect, r.width, r.height)) return err(RESP_ERR_INVALID_PARAMETER);
        Scanout old = scanouts[id];
        if (old.enabled()) leaveScanout(old.resourceId(), id);
        Scanout s = new Scanout(r.id, rect.x(), rect.y(), rect.width(), rect.height());
        scanouts[id] = s;
        r.scanoutMask |= 1 << id;
        memoryManager.pin(r.pixels); // what is shown stays resident
        if (old.width() != s.width() || old.height() != s.height() || !old.enabled()) display.scanout(id, s.width(), s.height());
        display.damage(id, new DamageRect(0, 0, s.width(), s.height()));
        return OK;
    }

    private void disableScanout(int id) {
        Scanout old = scanouts[id];
        if (!old.enabled()) return;
        leaveScanout(old.resourceId(), id);
        scanouts[id] = Scanout.DISABLED;
        display.scanout(id, 0, 0);
    }

    private void leaveScanout(long resourceId, int scanoutId) {
        Resource2d prev = resources.get(resourceId);
        if (prev == null || (prev.scanoutMask & (1 << scanoutId)) == 0) return;
        prev.scanoutMask &= ~(1 << scanoutId);
        memoryManager.unpin(prev.pixels);
    }

    private GpuResponse flush(GpuCommand.ResourceFlush c) {
        Resource2d r = resources.get(c.resourceId());
        if (r == null) return err(RESP_ERR_INVALID_RESOURCE_ID);
        Rect rect = c.rect();
        if (!within(rect, r.width, r.height)) return err(RESP_ERR_INVALID_PARAMETER);
        for (int i = 0; i < scanouts.length && r.scanoutMask != 0; i++) {
            Scanout s = scanouts[i];
            if (s.resourceId() != r.id) continue;
            // intersect in resource coordinates, then move to scanout coordinates
            long x0 = Math.max(rect.x(), s.x()), y0 = Math.max(rect.y(), s.y());
            long x1 = Math.min(rect.x() + rect.width(), s.x() + s.width()), y1 = Math.min(rect.y() + rect.height(), s.y() + s.height());
            if (x1 > x0 && y1 > y0) display.damage(i, new DamageRect(x0 - s.x(), y0 - s.y(), x1 - x0, y1 - y0));
        }
        return OK;
    }

    private GpuResponse assignUuid(long id) {
        Resource2d r = resources.get(id);
        if (r == null) return err(RESP_ERR_INVALID_RESOURCE_ID);
        if (r.uuid == null) {
            r.uuid = new byte[16];
            random.nextBytes(r.uuid);
            r.uuid[6] = (byte) ((r.uuid[6] & 0x0f) | 0x40); // RFC 4122 version 4
            r.uuid[8] = (byte) ((r.uuid[8] & 0x3f) | 0x80);
        }
        return new GpuResponse.OkResourceUuid(r.uuid);
    }

    private GpuResponse updateCursor(GpuCommand.UpdateCursor c) {
        if (c.pos().scanoutId() >= scanouts.length) return err(RESP_ERR_INVALID_SCANOUT_ID);
        DisplayCursorPos pos = new DisplayCursorPos(c.pos().scanoutId(), c.pos().x(), c.pos().y());
        if (c.resourceId() == 0) {
            display.cursorMove(pos, true);
            return OK;
        }
        Resource2d r = resources.get(c.resourceId());
        if (r == null) return err(RESP_ERR_INVALID_RESOURCE_ID);
        if (r.width != CURSOR_SIZE || r.height != CURSOR_SIZE) return err(RESP_ERR_INVALID_PARAMETER);
        MemorySegment argb = MemorySegment.ofArray(new int[CURSOR_SIZE * CURSOR_SIZE]);
        if (r.pixels.hasContent()) {
            try {
                MemorySegment px = memoryManager.use(r.pixels);
                for (long i = 0; i < CURSOR_SIZE * CURSOR_SIZE; i++) {
                    int p = r.format.toDisplayPixel(px.get(PIXEL, i * 4));
                    if (!r.format.hasAlpha()) p |= 0xff000000;
                    argb.set(PIXEL, i * 4, p);
                }
            } catch (MemoryUnavailableException e) {
                return refused(e);
            }
        }
        display.cursorImage(pos, c.hotX(), c.hotY(), argb);
        return OK;
    }

    private GpuResponse moveCursor(GpuCommand.MoveCursor c) {
        if (c.pos().scanoutId() >= scanouts.length) return err(RESP_ERR_INVALID_SCANOUT_ID);
        display.cursorMove(new DisplayCursorPos(c.pos().scanoutId(), c.pos().x(), c.pos().y()), c.resourceId() == 0);
        return OK;
    }

    /**
     * What the display pipe may hold, in bytes: two frames of the largest active scanout (of the
     * default mode while none is active). By construction it holds at most one UPDATE plus small
     * control messages and one cursor image, which stays below this.
     */
    public long displayQueueBound() {
        long largest = (long) limits.defaultWidth() * limits.defaultHeight() * 4;
        for (Scanout s : scanouts) if (s.enabled()) largest = Math.max(largest, s.width() * s.height() * 4);
        return 2 * largest;
    }

    /** After a new display socket: announce every active scanout again, with its full content. */
    public void republishScanouts() {
        for (int i = 0; i < scanouts.length; i++) {
            Scanout s = scanouts[i];
            if (!s.enabled()) continue;
            display.scanout(i, s.width(), s.height());
            display.damage(i, new DamageRect(0, 0, s.width(), s.height()));
        }
    }

    @Override
    public boolean render(int scanoutId, DamageRect d, MemorySegment out) {
        Resource2d r = shown(scanoutId, d);
        if (r == null) return false;
        if (!r.pixels.hasContent()) {
            out.fill((byte) 0);
            return true;
        }
        try {
            Scanout s = scanouts[scanoutId];
            long src = (s.y() + d.y()) * r.stride + (s.x() + d.x()) * 4;
            r.format.convertRect(memoryManager.use(r.pixels), src, r.stride, out, 0, d.width() * 4, d.width(), d.height());
            return true;
        } catch (MemoryUnavailableException e) {
            return false;
        }
    }

    @Override
    public MemorySegment[] directRows(int scanoutId, DamageRect d) {
        Resource2d r = shown(scanoutId, d);
        if (r == null || !r.format.isDisplayNative() || !r.pixels.hasContent()) return null;
        MemorySegment px;
        try {
            px = memoryManager.use(r.pixels);
        } catch (MemoryUnavailableException e) {
            return null;
        }
        Scanout s = scanouts[scanoutId];
        long src = (s.y() + d.y()) * r.stride + (s.x() + d.x()) * 4;
        long rowBytes = d.width() * 4;
        if (rowBytes == r.stride) return new MemorySegment[] {px.asSlice(src, rowBytes * d.height())}; // whole rows: one piece
        MemorySegment[] rows = new MemorySegment[(int) d.height()];
        for (int i = 0; i < rows.length; i++) rows[i] = px.asSlice(src + i * r.stride, rowBytes);
        return rows;
    }

    /** The resource scanout {@code id} shows, if {@code d} lies within the scanout; else null. */
    private Resource2d shown(int scanoutId, DamageRect d) {
        Scanout s = scanouts[scanoutId];
        if (!s.enabled() || d.x() + d.width() > s.width() || d.y() + d.height() > s.height()) return null;
        return resources.get(s.resourceId());
    }

    /** RESET_DEVICE or disconnect: every resource and scanout goes. */
    public void reset() {
        java.util.Arrays.fill(scanouts, Scanout.DISABLED);
        for (Resource2d r : resources.values()) free(r);
        resources.clear();
    }
}
