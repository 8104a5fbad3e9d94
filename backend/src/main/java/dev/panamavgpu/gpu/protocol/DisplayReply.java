package dev.panamavgpu.gpu.protocol;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** A parsed reply from QEMU on the display socket, or the protocol error that ended parsing. */
public sealed interface DisplayReply {

    /** Reply to GET_PROTOCOL_FEATURES: bit mask of {@code PROTOCOL_F_*} (QEMU 10: EDID | DMABUF2 = 3). */
    record ProtocolFeatures(long features) implements DisplayReply {
        public boolean has(int bit) {
            return (features & (1L << bit)) != 0;
        }
    }

    /** Reply to GET_DISPLAY_INFO: all 16 pmodes of the embedded virtio_gpu_resp_display_info. */
    record DisplayInfo(List<DisplayInfoEntry> displays) implements DisplayReply {
        public DisplayInfo {
            displays = List.copyOf(displays);
        }
    }

    /** Reply to GET_EDID: the first {@code size} bytes of the embedded virtio_gpu_resp_edid. */
    record Edid(byte[] edid) implements DisplayReply {
        public Edid {
            edid = edid.clone();
        }

        @Override
        public byte[] edid() {
            return edid.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Edid other && Arrays.equals(edid, other.edid);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(edid);
        }

        @Override
        public String toString() {
            return "Edid[size=" + edid.length + "]";
        }
    }

    /** Empty reply to DMABUF_UPDATE: QEMU has presented the frame (or rejected it) and reads the socket again. */
    record DmabufUpdateDone() implements DisplayReply {}

    /**
     * The stream cannot be trusted any more; the parser stops and the socket should be dropped.
     *
     * @param request request code of the offending header (0 if none was involved)
     * @param size    announced payload size (u32) of the offending header
     */
    record ProtocolError(Kind kind, int request, long size) implements DisplayReply {
        public ProtocolError {
            Objects.requireNonNull(kind, "kind");
        }

        @Override
        public String toString() {
            return "ProtocolError[" + kind + ", request=" + DisplayRequest.name(request) + ", size=" + size + "]";
        }
    }

    enum Kind {
        /** Header without the REPLY flag: QEMU never sends requests. */
        NOT_A_REPLY,
        /** Reply to a request that has no reply (or an unknown request code). */
        UNEXPECTED_REQUEST,
        /** Announced size differs from the fixed size for that reply type. */
        BAD_SIZE,
        /** Payload inconsistent with itself (EDID size field above 1024). */
        BAD_PAYLOAD
    }
}
