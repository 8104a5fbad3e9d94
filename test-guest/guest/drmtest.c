/*
 * drmtest: the panama-vgpu test guest's display program (runs as part of /init in the test initramfs).
 *
 * Build: gcc -static -O2 -o drmtest drmtest.c   (no libdrm: the few DRM uapi structs are defined below)
 *
 * It drives /dev/dri/card0 through a fixed script and talks to the host harness over the serial console
 * (stdin/stdout = /dev/ttyS0). After each step it prints a marker line and waits for one line on stdin
 * (the harness sends "next\n" after its screenshot):
 *
 *   PVGPU-MODE <w>x<h>          the connector's preferred mode (1280x800 with QEMU's defaults)
 *   PVGPU-INFO <text>           diagnostics (ids, page-flip method, cursor ioctl used, ...)
 *   PVGPU-MARK A                buffer 1 = pattern A, shown with SETCRTC
 *   PVGPU-MARK B                buffer 2 = pattern B, shown with PAGE_FLIP (+ wait for the flip event);
 *                               falls back to SETCRTC if the flip ioctl fails
 *   PVGPU-MARK C                rectangle RECT of the visible buffer (buffer 2) filled with magenta, then
 *                               DIRTYFB with exactly that clip rectangle => the screen shows pattern C
 *   PVGPU-MARK D                64x64 ARGB cursor set at (10,10) (CURSOR2, fallback CURSOR), moved to
 *                               (200,150) and then to (640,400); the primary plane still shows pattern C
 *   PVGPU-DONE                  everything worked, exit status 0
 *
 * "drmtest flip SECONDS [WxH [FPS]]" (pvgpu.test=flip; the mode WxH if offered, else the preferred one; at most
 * FPS flips a second if given and > 0) instead shows A, then page-flips between A and B for SECONDS with no
 * harness steps, a benchmark's guest workload: every flip changes every pixel.
 *   PVGPU-FLIPS <n> <seconds>   once a second: flips completed so far and the time since the first (monotonic)
 *   PVGPU-FLIP-DONE <n> <seconds>
 *   PVGPU-FAIL <what> <errno>   a step failed, exit status 1
 *
 * Pixel patterns (the Java twin is dev.panamavgpu.testguest.vm.Patterns; keep both in sync!).
 * All values are 0xRRGGBB (XRGB8888, X = 0); w, h = mode size; integer arithmetic, '/' truncates;
 * all operands are non-negative.
 *
 *   Pattern A(x, y):
 *     if x == 0 || y == 0 || x == w-1 || y == h-1      -> 0xFFFFFF  (1-pixel white border)
 *     else BARS[x * 8 / w] with
 *       BARS = { 0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0x00FFFF, 0xFF00FF, 0x000000, 0x808080 }
 *
 *   Pattern B(x, y):   band = rows [h/2 - 32, h/2 + 32)
 *     if y in band:  r = x * 255 / (w - 1); g = (y - (h/2 - 32)) * 4; b = 255 - r
 *                    -> (r << 16) | (g << 8) | b
 *     else:          ((x / 32 + y / 32) & 1) ? 0x1E3C5A : 0xF0C878     (checkerboard of 32-px squares)
 *
 *   Pattern C(x, y):   RECT = x in [100, 300), y in [50, 150)
 *     if (x, y) in RECT -> 0xFF00FF, else B(x, y)
 *
 *   Cursor (64x64, ARGB8888, hot spot 0,0):
 *     if x < 32 && y < 32 -> 0xFFFF0000 (opaque red); else if x + y < 64 -> 0x8000FF00 (half-transparent
 *     green, premultiplication not applied); else 0x00000000 (transparent)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* ---- DRM uapi (include/uapi/drm/drm.h, drm_mode.h), x86-64 layout ---- */
struct drm_mode_card_res {
    uint64_t fb_id_ptr, crtc_id_ptr, connector_id_ptr, encoder_id_ptr;
    uint32_t count_fbs, count_crtcs, count_connectors, count_encoders;
    uint32_t min_width, max_width, min_height, max_height;
};
struct drm_mode_modeinfo {
    uint32_t clock;
    uint16_t hdisplay, hsync_start, hsync_end, htotal, hskew;
    uint16_t vdisplay, vsync_start, vsync_end, vtotal, vscan;
    uint32_t vrefresh, flags, type;
    char name[32];
};
struct drm_mode_crtc {
    uint64_t set_connectors_ptr;
    uint32_t count_connectors, crtc_id, fb_id, x, y, gamma_size, mode_valid;
    struct drm_mode_modeinfo mode;
};
struct drm_mode_get_encoder {
    uint32_t encoder_id, encoder_type, crtc_id, possible_crtcs, possible_clones;
};
struct drm_mode_get_connector {
    uint64_t encoders_ptr, modes_ptr, props_ptr, prop_values_ptr;
    uint32_t count_modes, count_props, count_encoders, encoder_id, connector_id, connector_type;
    uint32_t connector_type_id, connection, mm_width, mm_height, subpixel, pad;
};
struct drm_mode_fb_cmd {
    uint32_t fb_id, width, height, pitch, bpp, depth, handle;
};
struct drm_mode_crtc_page_flip {
    uint32_t crtc_id, fb_id, flags, reserved;
    uint64_t user_data;
};
struct drm_clip_rect {
    uint16_t x1, y1, x2, y2;
};
struct drm_mode_fb_dirty_cmd {
    uint32_t fb_id, flags, color, num_clips;
    uint64_t clips_ptr;
};
struct drm_mode_create_dumb {
    uint32_t height, width, bpp, flags, handle, pitch;
    uint64_t size;
};
struct drm_mode_map_dumb {
    uint32_t handle, pad;
    uint64_t offset;
};
struct drm_mode_cursor {
    uint32_t flags, crtc_id;
    int32_t x, y;
    uint32_t width, height, handle;
};
struct drm_mode_cursor2 {
    uint32_t flags, crtc_id;
    int32_t x, y;
    uint32_t width, height, handle;
    int32_t hot_x, hot_y;
};
struct drm_event {
    uint32_t type, length;
};

_Static_assert(sizeof(struct drm_mode_card_res) == 0x40, "card_res");
_Static_assert(sizeof(struct drm_mode_modeinfo) == 68, "modeinfo");
_Static_assert(sizeof(struct drm_mode_crtc) == 0x68, "crtc");
_Static_assert(sizeof(struct drm_mode_get_encoder) == 0x14, "encoder");
_Static_assert(sizeof(struct drm_mode_get_connector) == 0x50, "connector");
_Static_assert(sizeof(struct drm_mode_fb_cmd) == 0x1c, "fb_cmd");
_Static_assert(sizeof(struct drm_mode_crtc_page_flip) == 0x18, "page_flip");
_Static_assert(sizeof(struct drm_mode_fb_dirty_cmd) == 0x18, "dirty");
_Static_assert(sizeof(struct drm_mode_create_dumb) == 0x20, "create_dumb");
_Static_assert(sizeof(struct drm_mode_map_dumb) == 0x10, "map_dumb");
_Static_assert(sizeof(struct drm_mode_cursor) == 0x1c, "cursor");
_Static_assert(sizeof(struct drm_mode_cursor2) == 0x24, "cursor2");

#define DRM_IOCTL_BASE 'd'
#define DRM_IOWR(nr, type) _IOWR(DRM_IOCTL_BASE, nr, type)
#define DRM_IOCTL_MODE_GETRESOURCES DRM_IOWR(0xA0, struct drm_mode_card_res)
#define DRM_IOCTL_MODE_GETCRTC DRM_IOWR(0xA1, struct drm_mode_crtc)
#define DRM_IOCTL_MODE_SETCRTC DRM_IOWR(0xA2, struct drm_mode_crtc)
#define DRM_IOCTL_MODE_CURSOR DRM_IOWR(0xA3, struct drm_mode_cursor)
#define DRM_IOCTL_MODE_GETENCODER DRM_IOWR(0xA6, struct drm_mode_get_encoder)
#define DRM_IOCTL_MODE_GETCONNECTOR DRM_IOWR(0xA7, struct drm_mode_get_connector)
#define DRM_IOCTL_MODE_ADDFB DRM_IOWR(0xAE, struct drm_mode_fb_cmd)
#define DRM_IOCTL_MODE_PAGE_FLIP DRM_IOWR(0xB0, struct drm_mode_crtc_page_flip)
#define DRM_IOCTL_MODE_DIRTYFB DRM_IOWR(0xB1, struct drm_mode_fb_dirty_cmd)
#define DRM_IOCTL_MODE_CREATE_DUMB DRM_IOWR(0xB2, struct drm_mode_create_dumb)
#define DRM_IOCTL_MODE_MAP_DUMB DRM_IOWR(0xB3, struct drm_mode_map_dumb)
#define DRM_IOCTL_MODE_CURSOR2 DRM_IOWR(0xBB, struct drm_mode_cursor2)

#define DRM_MODE_CONNECTED 1
#define DRM_MODE_TYPE_PREFERRED (1 << 3)
#define DRM_MODE_PAGE_FLIP_EVENT 0x01
#define DRM_EVENT_FLIP_COMPLETE 0x02
#define DRM_MODE_CURSOR_BO 0x01
#define DRM_MODE_CURSOR_MOVE 0x02

/* ---- patterns (see the comment at the top) ---- */
static const uint32_t BARS[8] = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0x00FFFF, 0xFF00FF, 0x000000, 0x808080};
#define RECT_X0 100
#define RECT_X1 300
#define RECT_Y0 50
#define RECT_Y1 150
#define RECT_COLOR 0xFF00FFu

static uint32_t pattern_a(uint32_t x, uint32_t y, uint32_t w, uint32_t h) {
    if (x == 0 || y == 0 || x == w - 1 || y == h - 1) return 0xFFFFFF;
    return BARS[x * 8 / w];
}

static uint32_t pattern_b(uint32_t x, uint32_t y, uint32_t w, uint32_t h) {
    uint32_t top = h / 2 - 32;
    if (y >= top && y < h / 2 + 32) {
        uint32_t r = x * 255 / (w - 1), g = (y - top) * 4, b = 255 - r;
        return (r << 16) | (g << 8) | b;
    }
    return ((x / 32 + y / 32) & 1) ? 0x1E3C5A : 0xF0C878;
}

static uint32_t cursor_pixel(uint32_t x, uint32_t y) {
    if (x < 32 && y < 32) return 0xFFFF0000u;
    if (x + y < 64) return 0x8000FF00u;
    return 0;
}

/* ---- plumbing ---- */
static int fd = -1;

#define FAIL_PREFIX ""
#include "console.h"

static void xioctl(unsigned long req, void *arg, const char *what) {
    int r;
    do r = ioctl(fd, req, arg);
    while (r < 0 && (errno == EINTR || errno == EAGAIN));
    if (r < 0) fail(what, errno);
}


struct buf {
    uint32_t handle, pitch, fb_id;
    uint64_t size;
    uint32_t *map;
};

static void create_buf(struct buf *b, uint32_t w, uint32_t h, int addfb, const char *what) {
    struct drm_mode_create_dumb cd = {.height = h, .width = w, .bpp = 32};
    xioctl(DRM_IOCTL_MODE_CREATE_DUMB, &cd, what);
    b->handle = cd.handle;
    b->pitch = cd.pitch;
    b->size = cd.size;
    if (addfb) {
        struct drm_mode_fb_cmd fc = {.width = w, .height = h, .pitch = cd.pitch, .bpp = 32, .depth = 24, .handle = cd.handle};
        xioctl(DRM_IOCTL_MODE_ADDFB, &fc, "addfb");
        b->fb_id = fc.fb_id;
    }
    struct drm_mode_map_dumb md = {.handle = cd.handle};
    xioctl(DRM_IOCTL_MODE_MAP_DUMB, &md, "map-dumb");
    void *p = mmap(NULL, cd.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)md.offset);
    if (p == MAP_FAILED) fail("mmap", errno);
    b->map = p;
}

static inline uint32_t *row(struct buf *b, uint32_t y) {
    return (uint32_t *)((char *)b->map + (size_t)y * b->pitch);
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Flips between the two buffers until `seconds` have passed, each flip awaited (its event), like a compositor. */
static void flip_loop(uint32_t crtc_id, struct buf *b1, struct buf *b2, double seconds, double fps) {
    double t0 = now_seconds(), next_report = t0 + 1;
    unsigned long n = 0;
    for (;;) {
        double t = now_seconds();
        if (t >= next_report) {
            say("PVGPU-FLIPS %lu %.3f", n, t - t0);
            next_report += 1;
        }
        if (t - t0 >= seconds) break;
        struct drm_mode_crtc_page_flip pf = {.crtc_id = crtc_id, .fb_id = (n & 1) ? b1->fb_id : b2->fb_id,
                                             .flags = DRM_MODE_PAGE_FLIP_EVENT};
        int r;
        do r = ioctl(fd, DRM_IOCTL_MODE_PAGE_FLIP, &pf);
        while (r < 0 && errno == EINTR);
        if (r < 0) fail("flip-loop", errno);
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int pr = poll(&pfd, 1, 10000);
        if (pr <= 0) fail("flip-loop-event", pr < 0 ? errno : ETIMEDOUT);
        char ev[1024];
        if (read(fd, ev, sizeof ev) < (ssize_t)sizeof(struct drm_event)) fail("flip-loop-read", errno);
        n++;
        if (fps > 0) { /* a paced guest (a compositor at its refresh rate): the next flip is due at t0 + n / fps */
            double wait = t0 + n / fps - now_seconds();
            if (wait > 0) {
                struct timespec ts = {.tv_sec = (time_t)wait, .tv_nsec = (long)((wait - (time_t)wait) * 1e9)};
                nanosleep(&ts, NULL);
            }
        }
    }
    say("PVGPU-FLIP-DONE %lu %.3f", n, now_seconds() - t0);
}

int main(int argc, char **argv) {
    double flip_seconds = argc >= 3 && strcmp(argv[1], "flip") == 0 ? atof(argv[2]) : 0;
    unsigned want_w = 0, want_h = 0;
    if (flip_seconds > 0 && argc >= 4 && sscanf(argv[3], "%ux%u", &want_w, &want_h) != 2) want_w = want_h = 0;
    double flip_fps = flip_seconds > 0 && argc >= 5 ? atof(argv[4]) : 0;
    setvbuf(stdout, NULL, _IONBF, 0);
    struct termios t;
    if (tcgetattr(0, &t) == 0) { /* no echo of the harness's "next" lines; canonical mode stays */
        t.c_lflag &= ~(ECHO | ECHONL);
        tcsetattr(0, TCSANOW, &t);
    }

    fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
    if (fd < 0) fail("open-card0", errno);

    /* resources */
    struct drm_mode_card_res res = {0};
    xioctl(DRM_IOCTL_MODE_GETRESOURCES, &res, "getresources");
    if (res.count_connectors == 0 || res.count_crtcs == 0) fail("no-connectors-or-crtcs", 0);
    uint32_t *conns = calloc(res.count_connectors, 4), *crtcs = calloc(res.count_crtcs, 4);
    uint32_t *encs = calloc(res.count_encoders ? res.count_encoders : 1, 4);
    uint32_t *fbs = calloc(res.count_fbs ? res.count_fbs : 1, 4);
    res.connector_id_ptr = (uintptr_t)conns;
    res.crtc_id_ptr = (uintptr_t)crtcs;
    res.encoder_id_ptr = (uintptr_t)encs;
    res.fb_id_ptr = (uintptr_t)fbs;
    xioctl(DRM_IOCTL_MODE_GETRESOURCES, &res, "getresources2");

    /* first connected connector and its preferred mode */
    uint32_t conn_id = 0, enc_id = 0;
    struct drm_mode_modeinfo mode;
    int have_mode = 0;
    for (uint32_t i = 0; i < res.count_connectors && !have_mode; i++) {
        struct drm_mode_get_connector gc = {.connector_id = conns[i]};
        xioctl(DRM_IOCTL_MODE_GETCONNECTOR, &gc, "getconnector"); /* probes the connector */
        if (gc.connection != DRM_MODE_CONNECTED || gc.count_modes == 0) continue;
        uint32_t nmodes = gc.count_modes, nencs = gc.count_encoders;
        struct drm_mode_modeinfo *modes = calloc(nmodes, sizeof *modes);
        uint32_t *cencs = calloc(nencs ? nencs : 1, 4);
        struct drm_mode_get_connector gc2 = {.connector_id = conns[i], .count_modes = nmodes, .modes_ptr = (uintptr_t)modes,
                                             .count_encoders = nencs, .encoders_ptr = (uintptr_t)cencs};
        xioctl(DRM_IOCTL_MODE_GETCONNECTOR, &gc2, "getconnector2");
        if (gc2.count_modes < nmodes) nmodes = gc2.count_modes;
        if (nmodes == 0) continue;
        mode = modes[0];
        for (uint32_t m = 0; m < nmodes; m++)
            if (modes[m].type & DRM_MODE_TYPE_PREFERRED) { mode = modes[m]; break; }
        for (uint32_t m = 0; want_w && m < nmodes; m++) /* flip mode's WxH, when the connector offers it */
            if (modes[m].hdisplay == want_w && modes[m].vdisplay == want_h) { mode = modes[m]; break; }
        conn_id = conns[i];
        enc_id = gc2.encoder_id ? gc2.encoder_id : (nencs ? cencs[0] : 0);
        have_mode = 1;
    }
    if (!have_mode) fail("no-connected-connector", 0);

    /* CRTC: the encoder's current one, else the first possible one */
    uint32_t crtc_id = 0;
    if (enc_id) {
        struct drm_mode_get_encoder ge = {.encoder_id = enc_id};
        xioctl(DRM_IOCTL_MODE_GETENCODER, &ge, "getencoder");
        crtc_id = ge.crtc_id;
        for (uint32_t i = 0; !crtc_id && i < res.count_crtcs; i++)
            if (ge.possible_crtcs & (1u << i)) crtc_id = crtcs[i];
    }
    if (!crtc_id) crtc_id = crtcs[0];

    uint32_t w = mode.hdisplay, h = mode.vdisplay;
    if (w < 2 || h < 66) fail("mode-too-small", 0);
    say("PVGPU-INFO connector %u encoder %u crtc %u mode %s %ux%u@%u", conn_id, enc_id, crtc_id, mode.name, w, h,
        mode.vrefresh);
    say("PVGPU-MODE %ux%u", w, h);

    struct buf b1, b2, cur;
    create_buf(&b1, w, h, 1, "create-dumb-1");
    create_buf(&b2, w, h, 1, "create-dumb-2");

    /* ---- step A ---- */
    for (uint32_t y = 0; y < h; y++) {
        uint32_t *p = row(&b1, y);
        for (uint32_t x = 0; x < w; x++) p[x] = pattern_a(x, y, w, h);
    }
    struct drm_mode_crtc sc = {.set_connectors_ptr = (uintptr_t)&conn_id, .count_connectors = 1, .crtc_id = crtc_id,
                               .fb_id = b1.fb_id, .mode_valid = 1, .mode = mode};
    xioctl(DRM_IOCTL_MODE_SETCRTC, &sc, "setcrtc-a");
    if (flip_seconds > 0) {
        for (uint32_t y = 0; y < h; y++) {
            uint32_t *p = row(&b2, y);
            for (uint32_t x = 0; x < w; x++) p[x] = pattern_b(x, y, w, h);
        }
        flip_loop(crtc_id, &b1, &b2, flip_seconds, flip_fps);
        return 0;
    }
    say("PVGPU-MARK A");
    wait_next();

    /* ---- step B ---- */
    for (uint32_t y = 0; y < h; y++) {
        uint32_t *p = row(&b2, y);
        for (uint32_t x = 0; x < w; x++) p[x] = pattern_b(x, y, w, h);
    }
    struct drm_mode_crtc_page_flip pf = {.crtc_id = crtc_id, .fb_id = b2.fb_id, .flags = DRM_MODE_PAGE_FLIP_EVENT,
                                         .user_data = 0xB0B0};
    int r;
    do r = ioctl(fd, DRM_IOCTL_MODE_PAGE_FLIP, &pf);
    while (r < 0 && errno == EINTR);
    if (r == 0) {
        struct pollfd pfd = {.fd = fd, .events = POLLIN};
        int pr = poll(&pfd, 1, 10000);
        if (pr < 0) fail("poll-flip", errno);
        if (pr == 0) fail("flip-event-timeout", ETIMEDOUT);
        char ev[1024];
        ssize_t n = read(fd, ev, sizeof ev);
        if (n < (ssize_t)sizeof(struct drm_event)) fail("read-flip-event", n < 0 ? errno : 0);
        struct drm_event e;
        memcpy(&e, ev, sizeof e);
        say("PVGPU-INFO flip page-flip event type %u length %u", e.type, e.length);
        if (e.type != DRM_EVENT_FLIP_COMPLETE) fail("unexpected-event", (int)e.type);
    } else {
        int err = errno;
        say("PVGPU-INFO flip setcrtc (page-flip failed errno %d)", err);
        sc.fb_id = b2.fb_id;
        xioctl(DRM_IOCTL_MODE_SETCRTC, &sc, "setcrtc-b");
    }
    say("PVGPU-MARK B");
    wait_next();

    /* ---- step C ---- */
    uint32_t rx1 = RECT_X1 < w ? RECT_X1 : w, ry1 = RECT_Y1 < h ? RECT_Y1 : h;
    for (uint32_t y = RECT_Y0; y < ry1; y++) {
        uint32_t *p = row(&b2, y);
        for (uint32_t x = RECT_X0; x < rx1; x++) p[x] = RECT_COLOR;
    }
    struct drm_clip_rect clip = {.x1 = RECT_X0, .y1 = RECT_Y0, .x2 = (uint16_t)rx1, .y2 = (uint16_t)ry1};
    struct drm_mode_fb_dirty_cmd dc = {.fb_id = b2.fb_id, .num_clips = 1, .clips_ptr = (uintptr_t)&clip};
    xioctl(DRM_IOCTL_MODE_DIRTYFB, &dc, "dirtyfb");
    say("PVGPU-MARK C");
    wait_next();

    /* ---- step D ---- */
    create_buf(&cur, 64, 64, 0, "create-dumb-cursor");
    for (uint32_t y = 0; y < 64; y++) {
        uint32_t *p = row(&cur, y);
        for (uint32_t x = 0; x < 64; x++) p[x] = cursor_pixel(x, y);
    }
    struct drm_mode_cursor2 c2 = {.flags = DRM_MODE_CURSOR_BO | DRM_MODE_CURSOR_MOVE, .crtc_id = crtc_id, .x = 10, .y = 10,
                                  .width = 64, .height = 64, .handle = cur.handle};
    do r = ioctl(fd, DRM_IOCTL_MODE_CURSOR2, &c2);
    while (r < 0 && errno == EINTR);
    if (r == 0) {
        say("PVGPU-INFO cursor set with CURSOR2");
    } else {
        say("PVGPU-INFO cursor CURSOR2 failed errno %d, trying CURSOR", errno);
        struct drm_mode_cursor c1 = {.flags = DRM_MODE_CURSOR_BO | DRM_MODE_CURSOR_MOVE, .crtc_id = crtc_id, .x = 10,
                                     .y = 10, .width = 64, .height = 64, .handle = cur.handle};
        xioctl(DRM_IOCTL_MODE_CURSOR, &c1, "cursor-set");
    }
    struct drm_mode_cursor mv = {.flags = DRM_MODE_CURSOR_MOVE, .crtc_id = crtc_id, .x = 200, .y = 150};
    xioctl(DRM_IOCTL_MODE_CURSOR, &mv, "cursor-move-1");
    usleep(100000);
    mv.x = 640;
    mv.y = 400;
    xioctl(DRM_IOCTL_MODE_CURSOR, &mv, "cursor-move-2");
    say("PVGPU-MARK D");
    wait_next();

    say("PVGPU-DONE");
    return 0;
}
