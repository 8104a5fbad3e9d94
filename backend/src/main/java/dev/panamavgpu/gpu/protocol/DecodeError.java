package dev.panamavgpu.gpu.protocol;

/** Why a request could not be decoded, and the response code the guest gets for it. */
public enum DecodeError {
    /** Fewer than 24 bytes: there is no header to echo, so the response carries a zero header. */
    SHORT_HEADER(VirtioGpuType.RESP_ERR_UNSPEC),
    /** The readable bytes end before the command's fixed struct does. */
    SHORT_BODY(VirtioGpuType.RESP_ERR_INVALID_PARAMETER),
    /** ATTACH_BACKING nr_entries above {@link GpuCommandDecoder#MAX_ATTACH_ENTRIES}. */
    TOO_MANY_ENTRIES(VirtioGpuType.RESP_ERR_INVALID_PARAMETER),
    /** ATTACH_BACKING announces more entries than the request holds (32 + 16·n > length). */
    TRUNCATED_ENTRIES(VirtioGpuType.RESP_ERR_INVALID_PARAMETER),
    /** SUBMIT_3D size above {@link GpuCommandDecoder#MAX_SUBMIT}. */
    SUBMIT_TOO_LARGE(VirtioGpuType.RESP_ERR_INVALID_PARAMETER),
    /** SUBMIT_3D announces more bytes than the request holds. */
    TRUNCATED_SUBMIT(VirtioGpuType.RESP_ERR_INVALID_PARAMETER);

    private final int responseType;

    DecodeError(int responseType) {
        this.responseType = responseType;
    }

    /** The RESP_ERR_* code to answer with. */
    public int responseType() {
        return responseType;
    }
}
