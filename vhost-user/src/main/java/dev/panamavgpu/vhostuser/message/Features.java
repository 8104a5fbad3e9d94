package dev.panamavgpu.vhostuser.message;

/** Virtio transport and vhost-user protocol feature bits this library knows. */
public final class Features {
    private Features() {}

    public static final long VIRTIO_RING_F_INDIRECT_DESC = 1L << 28;
    public static final long VIRTIO_RING_F_EVENT_IDX = 1L << 29;
    public static final long VHOST_USER_F_PROTOCOL_FEATURES = 1L << 30;
    public static final long VIRTIO_F_VERSION_1 = 1L << 32;

    /** Transport features the library implements; the device adds its own. */
    public static final long TRANSPORT = VIRTIO_F_VERSION_1 | VIRTIO_RING_F_INDIRECT_DESC
            | VIRTIO_RING_F_EVENT_IDX | VHOST_USER_F_PROTOCOL_FEATURES;

    public static final long PROTOCOL_F_MQ = 1L << 0;
    public static final long PROTOCOL_F_LOG_SHMFD = 1L << 1;
    public static final long PROTOCOL_F_REPLY_ACK = 1L << 3;
    public static final long PROTOCOL_F_BACKEND_REQ = 1L << 5;
    public static final long PROTOCOL_F_CONFIG = 1L << 9;
    public static final long PROTOCOL_F_RESET_DEVICE = 1L << 13;
    public static final long PROTOCOL_F_CONFIGURE_MEM_SLOTS = 1L << 15;
    public static final long PROTOCOL_F_STATUS = 1L << 16;

    /** Protocol features offered: exactly what the state machine handles (no LOG_*: migration stays blocked). */
    public static final long PROTOCOL_OFFERED = PROTOCOL_F_MQ | PROTOCOL_F_REPLY_ACK | PROTOCOL_F_CONFIG
            | PROTOCOL_F_RESET_DEVICE | PROTOCOL_F_CONFIGURE_MEM_SLOTS | PROTOCOL_F_STATUS;
}
