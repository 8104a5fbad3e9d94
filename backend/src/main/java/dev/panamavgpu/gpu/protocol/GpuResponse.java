package dev.panamavgpu.gpu.protocol;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A control-queue response as a value. Handlers return one of these for success and failure alike; only
 * {@link GpuResponseEncoder} turns it into bytes. Byte-array components are copied in and out, so a response is
 * immutable once built.
 */
public sealed interface GpuResponse {

    /** The {@code ctrl_hdr.type} of the encoded response. */
    int wireType();

    OkNoData OK_NODATA = new OkNoData();
    Err ERR_UNSPEC = new Err(VirtioGpuType.RESP_ERR_UNSPEC);
    Err ERR_OUT_OF_MEMORY = new Err(VirtioGpuType.RESP_ERR_OUT_OF_MEMORY);
    Err ERR_INVALID_SCANOUT_ID = new Err(VirtioGpuType.RESP_ERR_INVALID_SCANOUT_ID);
    Err ERR_INVALID_RESOURCE_ID = new Err(VirtioGpuType.RESP_ERR_INVALID_RESOURCE_ID);
    Err ERR_INVALID_CONTEXT_ID = new Err(VirtioGpuType.RESP_ERR_INVALID_CONTEXT_ID);
    Err ERR_INVALID_PARAMETER = new Err(VirtioGpuType.RESP_ERR_INVALID_PARAMETER);

    record OkNoData() implements GpuResponse {
        public int wireType() {
            return VirtioGpuType.RESP_OK_NODATA;
        }
    }

    /** Up to 16 pmodes; the encoder writes the rest of the 16-entry array as zeros (disabled). */
    record OkDisplayInfo(List<DisplayInfoEntry> displays) implements GpuResponse {
        public OkDisplayInfo {
            displays = List.copyOf(displays);
            if (displays.size() > VirtioGpu.MAX_SCANOUTS) {
                throw new IllegalArgumentException("more than 16 displays: " + displays.size());
            }
        }

        public int wireType() {
            return VirtioGpuType.RESP_OK_DISPLAY_INFO;
        }
    }

    /** The meaningful EDID bytes (≤ 1024); {@code size} on the wire is their count. */
    record OkEdid(byte[] edid) implements GpuResponse {
        public OkEdid {
            edid = edid.clone();
            if (edid.length > RespEdid.MAX_EDID) {
                throw new IllegalArgumentException("EDID longer than 1024 bytes: " + edid.length);
            }
        }

        @Override
        public byte[] edid() {
            return edid.clone();
        }

        /** Value of the wire {@code size} field. */
        public int size() {
            return edid.length;
        }

        public int wireType() {
            return VirtioGpuType.RESP_OK_EDID;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OkEdid other && Arrays.equals(edid, other.edid);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(edid);
        }

        @Override
        public String toString() {
            return "OkEdid[size=" + edid.length + "]";
        }
    }

    /** Exactly 16 raw bytes, written in the order given. */
    record OkResourceUuid(byte[] uuid) implements GpuResponse {
        public OkResourceUuid {
            uuid = uuid.clone();
            if (uuid.length != RespResourceUuid.UUID_BYTES) {
                throw new IllegalArgumentException("uuid must be 16 bytes: " + uuid.length);
            }
        }

        @Override
        public byte[] uuid() {
            return uuid.clone();
        }

        public int wireType() {
            return VirtioGpuType.RESP_OK_RESOURCE_UUID;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OkResourceUuid other && Arrays.equals(uuid, other.uuid);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(uuid);
        }

        @Override
        public String toString() {
            return "OkResourceUuid[" + HexFormat.of().formatHex(uuid) + "]";
        }
    }

    /** All u32. An unknown capset index should get {@code (0, 0, 0)}, never stale data (CVE-2021-3545). */
    record OkCapsetInfo(long capsetId, long maxVersion, long maxSize) implements GpuResponse {
        public OkCapsetInfo {
            Wire.requireU32(capsetId, "capsetId");
            Wire.requireU32(maxVersion, "maxVersion");
            Wire.requireU32(maxSize, "maxSize");
        }

        public int wireType() {
            return VirtioGpuType.RESP_OK_CAPSET_INFO;
        }
    }

    /** Capset bytes following the header. */
    record OkCapset(byte[] data) implements GpuResponse {
        public OkCapset {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        /** Number of capset bytes. */
        public int length() {
            return data.length;
        }

        public int wireType() {
            return VirtioGpuType.RESP_OK_CAPSET;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OkCapset other && Arrays.equals(data, other.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "OkCapset[size=" + data.length + "]";
        }
    }

    /** An error response: a bare header whose type is in the 0x12xx range. */
    record Err(int code) implements GpuResponse {
        public Err {
            if (!VirtioGpuType.isError(code)) {
                throw new IllegalArgumentException("not an error response code: 0x" + Integer.toHexString(code));
            }
        }

        public int wireType() {
            return code;
        }

        @Override
        public String toString() {
            return "Err[" + VirtioGpuType.name(code) + "]";
        }
    }
}
