package dev.panamavgpu.qxl;

/** QXL I/O port numbers (qxl_dev.h, "append only"); in QXIV the port travels in the IO mailbox. */
final class QxlIo {
    private QxlIo() {}

    static final int NOTIFY_CMD = 0, NOTIFY_CURSOR = 1, UPDATE_AREA = 2, UPDATE_IRQ = 3, NOTIFY_OOM = 4, RESET = 5,
            SET_MODE = 6, LOG = 7, MEMSLOT_ADD = 8, MEMSLOT_DEL = 9, DETACH_PRIMARY = 10, ATTACH_PRIMARY = 11,
            CREATE_PRIMARY = 12, DESTROY_PRIMARY = 13, DESTROY_SURFACE_WAIT = 14, DESTROY_ALL_SURFACES = 15,
            UPDATE_AREA_ASYNC = 16, MEMSLOT_ADD_ASYNC = 17, CREATE_PRIMARY_ASYNC = 18, DESTROY_PRIMARY_ASYNC = 19,
            DESTROY_SURFACE_ASYNC = 20, DESTROY_ALL_SURFACES_ASYNC = 21, FLUSH_SURFACES_ASYNC = 22, FLUSH_RELEASE = 23,
            MONITORS_CONFIG_ASYNC = 24, RANGE_SIZE = 25;
}
