package dev.panamavgpu.gpu.protocol;

/** virtio_gpu_ctrl_type: command and response codes carried in {@code ctrl_hdr.type}. */
public final class VirtioGpuType {
    public static final int UNDEFINED = 0;

    // 2D commands
    public static final int CMD_GET_DISPLAY_INFO = 0x0100;
    public static final int CMD_RESOURCE_CREATE_2D = 0x0101;
    public static final int CMD_RESOURCE_UNREF = 0x0102;
    public static final int CMD_SET_SCANOUT = 0x0103;
    public static final int CMD_RESOURCE_FLUSH = 0x0104;
    public static final int CMD_TRANSFER_TO_HOST_2D = 0x0105;
    public static final int CMD_RESOURCE_ATTACH_BACKING = 0x0106;
    public static final int CMD_RESOURCE_DETACH_BACKING = 0x0107;
    public static final int CMD_GET_CAPSET_INFO = 0x0108;
    public static final int CMD_GET_CAPSET = 0x0109;
    public static final int CMD_GET_EDID = 0x010A;
    public static final int CMD_RESOURCE_ASSIGN_UUID = 0x010B;
    public static final int CMD_RESOURCE_CREATE_BLOB = 0x010C;
    public static final int CMD_SET_SCANOUT_BLOB = 0x010D;

    // 3D commands
    public static final int CMD_CTX_CREATE = 0x0200;
    public static final int CMD_CTX_DESTROY = 0x0201;
    public static final int CMD_CTX_ATTACH_RESOURCE = 0x0202;
    public static final int CMD_CTX_DETACH_RESOURCE = 0x0203;
    public static final int CMD_RESOURCE_CREATE_3D = 0x0204;
    public static final int CMD_TRANSFER_TO_HOST_3D = 0x0205;
    public static final int CMD_TRANSFER_FROM_HOST_3D = 0x0206;
    public static final int CMD_SUBMIT_3D = 0x0207;
    public static final int CMD_RESOURCE_MAP_BLOB = 0x0208;
    public static final int CMD_RESOURCE_UNMAP_BLOB = 0x0209;

    // cursor commands (cursor queue)
    public static final int CMD_UPDATE_CURSOR = 0x0300;
    public static final int CMD_MOVE_CURSOR = 0x0301;

    // success responses
    public static final int RESP_OK_NODATA = 0x1100;
    public static final int RESP_OK_DISPLAY_INFO = 0x1101;
    public static final int RESP_OK_CAPSET_INFO = 0x1102;
    public static final int RESP_OK_CAPSET = 0x1103;
    public static final int RESP_OK_EDID = 0x1104;
    public static final int RESP_OK_RESOURCE_UUID = 0x1105;
    public static final int RESP_OK_MAP_INFO = 0x1106;

    // error responses
    public static final int RESP_ERR_UNSPEC = 0x1200;
    public static final int RESP_ERR_OUT_OF_MEMORY = 0x1201;
    public static final int RESP_ERR_INVALID_SCANOUT_ID = 0x1202;
    public static final int RESP_ERR_INVALID_RESOURCE_ID = 0x1203;
    public static final int RESP_ERR_INVALID_CONTEXT_ID = 0x1204;
    public static final int RESP_ERR_INVALID_PARAMETER = 0x1205;

    private VirtioGpuType() {}

    /** True for the 0x12xx error range (any value in it, defined or not). */
    public static boolean isError(int type) {
        return (type & 0xFFFF_FF00) == 0x1200;
    }

    /** Log name without the VIRTIO_GPU_ prefix; unknown codes print as hex so guest garbage stays readable. */
    public static String name(int type) {
        return switch (type) {
            case UNDEFINED -> "UNDEFINED";
            case CMD_GET_DISPLAY_INFO -> "CMD_GET_DISPLAY_INFO";
            case CMD_RESOURCE_CREATE_2D -> "CMD_RESOURCE_CREATE_2D";
            case CMD_RESOURCE_UNREF -> "CMD_RESOURCE_UNREF";
            case CMD_SET_SCANOUT -> "CMD_SET_SCANOUT";
            case CMD_RESOURCE_FLUSH -> "CMD_RESOURCE_FLUSH";
            case CMD_TRANSFER_TO_HOST_2D -> "CMD_TRANSFER_TO_HOST_2D";
            case CMD_RESOURCE_ATTACH_BACKING -> "CMD_RESOURCE_ATTACH_BACKING";
            case CMD_RESOURCE_DETACH_BACKING -> "CMD_RESOURCE_DETACH_BACKING";
            case CMD_GET_CAPSET_INFO -> "CMD_GET_CAPSET_INFO";
            case CMD_GET_CAPSET -> "CMD_GET_CAPSET";
            case CMD_GET_EDID -> "CMD_GET_EDID";
            case CMD_RESOURCE_ASSIGN_UUID -> "CMD_RESOURCE_ASSIGN_UUID";
            case CMD_RESOURCE_CREATE_BLOB -> "CMD_RESOURCE_CREATE_BLOB";
            case CMD_SET_SCANOUT_BLOB -> "CMD_SET_SCANOUT_BLOB";
            case CMD_CTX_CREATE -> "CMD_CTX_CREATE";
            case CMD_CTX_DESTROY -> "CMD_CTX_DESTROY";
            case CMD_CTX_ATTACH_RESOURCE -> "CMD_CTX_ATTACH_RESOURCE";
            case CMD_CTX_DETACH_RESOURCE -> "CMD_CTX_DETACH_RESOURCE";
            case CMD_RESOURCE_CREATE_3D -> "CMD_RESOURCE_CREATE_3D";
            case CMD_TRANSFER_TO_HOST_3D -> "CMD_TRANSFER_TO_HOST_3D";
            case CMD_TRANSFER_FROM_HOST_3D -> "CMD_TRANSFER_FROM_HOST_3D";
            case CMD_SUBMIT_3D -> "CMD_SUBMIT_3D";
            case CMD_RESOURCE_MAP_BLOB -> "CMD_RESOURCE_MAP_BLOB";
            case CMD_RESOURCE_UNMAP_BLOB -> "CMD_RESOURCE_UNMAP_BLOB";
            case CMD_UPDATE_CURSOR -> "CMD_UPDATE_CURSOR";
            case CMD_MOVE_CURSOR -> "CMD_MOVE_CURSOR";
            case RESP_OK_NODATA -> "RESP_OK_NODATA";
            case RESP_OK_DISPLAY_INFO -> "RESP_OK_DISPLAY_INFO";
            case RESP_OK_CAPSET_INFO -> "RESP_OK_CAPSET_INFO";
            case RESP_OK_CAPSET -> "RESP_OK_CAPSET";
            case RESP_OK_EDID -> "RESP_OK_EDID";
            case RESP_OK_RESOURCE_UUID -> "RESP_OK_RESOURCE_UUID";
            case RESP_OK_MAP_INFO -> "RESP_OK_MAP_INFO";
            case RESP_ERR_UNSPEC -> "RESP_ERR_UNSPEC";
            case RESP_ERR_OUT_OF_MEMORY -> "RESP_ERR_OUT_OF_MEMORY";
            case RESP_ERR_INVALID_SCANOUT_ID -> "RESP_ERR_INVALID_SCANOUT_ID";
            case RESP_ERR_INVALID_RESOURCE_ID -> "RESP_ERR_INVALID_RESOURCE_ID";
            case RESP_ERR_INVALID_CONTEXT_ID -> "RESP_ERR_INVALID_CONTEXT_ID";
            case RESP_ERR_INVALID_PARAMETER -> "RESP_ERR_INVALID_PARAMETER";
            default -> String.format("0x%x", type);
        };
    }
}
