package dev.panamavgpu.gpu.protocol;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code struct virtio_gpu_resp_display_info} (408 bytes): RESP_OK_DISPLAY_INFO, also the payload of QEMU's
 * GET_DISPLAY_INFO reply on the display socket.
 */
public final class RespDisplayInfo {
    public static final SequenceLayout PMODES_LAYOUT =
            MemoryLayout.sequenceLayout(VirtioGpu.MAX_SCANOUTS, DisplayInfoEntry.LAYOUT);

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            CtrlHdr.LAYOUT.withName("hdr"),
            PMODES_LAYOUT.withName("pmodes"));

    public static final long PMODES = Wire.offset(LAYOUT, "pmodes");
    public static final long SIZE = LAYOUT.byteSize();

    private RespDisplayInfo() {}

    /** Reads all 16 pmodes of a struct starting at {@code offset}. */
    public static List<DisplayInfoEntry> readPmodes(MemorySegment s, long offset) {
        List<DisplayInfoEntry> out = new ArrayList<>(VirtioGpu.MAX_SCANOUTS);
        for (int i = 0; i < VirtioGpu.MAX_SCANOUTS; i++) {
            out.add(DisplayInfoEntry.read(s, offset + PMODES + i * DisplayInfoEntry.SIZE));
        }
        return List.copyOf(out);
    }
}
