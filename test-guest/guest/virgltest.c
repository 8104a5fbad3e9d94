/*
 * virgltest: the 3D path of virtio-gpu through the kernel's virtgpu ioctls alone, no Mesa (in the test
 * initramfs; /init runs it with pvgpu.test=virgl before the GL program).
 *
 * Build: gcc -static -O2 -o virgltest virgltest.c   (no libdrm: the virtgpu uapi structs of Linux 6.1 are below)
 *
 * Steps, each printed on the serial console (stdout):
 *   PVGPU-VIRGL 3d=<0|1> capset-fix=<v> capset-ids=<mask>    GETPARAM (3D_FEATURES must be 1)
 *   PVGPU-VIRGL caps set=<id> version=<v> max_version=<m>    GET_CAPS of the best VIRGL cap set
 *   PVGPU-VIRGL resource bo=<h> res=<id> 64x64               RESOURCE_CREATE, 2D texture B8G8R8X8, render target
 *   PVGPU-VIRGL clear <RRGGBB> ok|bad=<n> first=<XXRRGGBB>   EXECBUFFER (surface, framebuffer, CLEAR), then
 *                                                            TRANSFER_FROM_HOST, WAIT, MAP: every pixel read back
 *   PVGPU-VIRGL-OK                                           everything matched; exit status 0
 *   PVGPU-FAIL virgl-<what> <errno|count>                    exit status 1
 * Two clears with different colours: a stale read back cannot pass the second.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

/* ---- virtgpu uapi (include/uapi/drm/virtgpu_drm.h, Linux 6.1), x86-64 layout ---- */
struct drm_virtgpu_map { uint64_t offset; uint32_t handle, pad; };
struct drm_virtgpu_execbuffer {
    uint32_t flags, size;
    uint64_t command, bo_handles;
    uint32_t num_bo_handles;
    int32_t fence_fd;
};
struct drm_virtgpu_getparam { uint64_t param, value; };
struct drm_virtgpu_resource_create {
    uint32_t target, format, bind, width, height, depth, array_size, last_level, nr_samples, flags;
    uint32_t bo_handle, res_handle, size, stride;
};
struct drm_virtgpu_3d_box { uint32_t x, y, z, w, h, d; };
struct drm_virtgpu_3d_transfer_from_host {
    uint32_t bo_handle;
    struct drm_virtgpu_3d_box box;
    uint32_t level, offset, stride, layer_stride;
};
struct drm_virtgpu_3d_wait { uint32_t handle, flags; };
struct drm_virtgpu_get_caps { uint32_t cap_set_id, cap_set_ver; uint64_t addr; uint32_t size, pad; };
struct drm_gem_close { uint32_t handle, pad; };
#define VIRTGPU_PARAM_3D_FEATURES 1
#define VIRTGPU_PARAM_CAPSET_QUERY_FIX 2
#define VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs 7
#define DRM_IOCTL_GEM_CLOSE _IOW('d', 0x09, struct drm_gem_close)
#define DRM_IOCTL_VIRTGPU_MAP _IOWR('d', 0x41, struct drm_virtgpu_map)
#define DRM_IOCTL_VIRTGPU_EXECBUFFER _IOWR('d', 0x42, struct drm_virtgpu_execbuffer)
#define DRM_IOCTL_VIRTGPU_GETPARAM _IOWR('d', 0x43, struct drm_virtgpu_getparam)
#define DRM_IOCTL_VIRTGPU_RESOURCE_CREATE _IOWR('d', 0x44, struct drm_virtgpu_resource_create)
#define DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST _IOWR('d', 0x46, struct drm_virtgpu_3d_transfer_from_host)
#define DRM_IOCTL_VIRTGPU_WAIT _IOWR('d', 0x48, struct drm_virtgpu_3d_wait)
#define DRM_IOCTL_VIRTGPU_GET_CAPS _IOWR('d', 0x49, struct drm_virtgpu_get_caps)

/* virgl command stream (virglrenderer's virgl_protocol.h): header = cmd | object << 8 | length << 16 */
#define VIRGL_CMD0(cmd, obj, len) ((uint32_t)(cmd) | ((uint32_t)(obj) << 8) | ((uint32_t)(len) << 16))
enum { CCMD_CREATE_OBJECT = 1, CCMD_SET_FRAMEBUFFER_STATE = 5, CCMD_CLEAR = 7 };
enum { OBJECT_SURFACE = 8 };
enum { FORMAT_B8G8R8X8_UNORM = 2, TARGET_TEXTURE_2D = 2, BIND_RENDER_TARGET = 1 << 1, CLEAR_COLOR0 = 1 << 2 };
enum { CAPSET_VIRGL = 1, CAPSET_VIRGL2 = 2 };
#define W 64
#define H 64

static int fd = -1;

#define FAIL_PREFIX "virgl-"
#include "console.h"

static void xioctl(unsigned long req, void *arg, const char *what) {
    int r;
    do r = ioctl(fd, req, arg);
    while (r < 0 && (errno == EINTR || errno == EAGAIN));
    if (r < 0) fail(what, errno);
}

static uint64_t getparam(uint64_t param, int required) {
    uint64_t value = 0;
    struct drm_virtgpu_getparam gp = {.param = param, .value = (uint64_t)(uintptr_t)&value};
    int r;
    do r = ioctl(fd, DRM_IOCTL_VIRTGPU_GETPARAM, &gp);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
        if (required) fail("getparam", errno);
        return (uint64_t)-1;
    }
    return value;
}

static uint32_t fbits(float f) {
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

/* Clears the resource to rgb on the host, reads it back, checks every pixel. */
static void clear_and_check(uint32_t bo, uint32_t res, uint32_t *map, uint32_t rgb, int first) {
    uint32_t cmd[32];
    int n = 0;
    if (first) {
        cmd[n++] = VIRGL_CMD0(CCMD_CREATE_OBJECT, OBJECT_SURFACE, 5);
        cmd[n++] = 1;                     /* surface handle */
        cmd[n++] = res;                   /* resource */
        cmd[n++] = FORMAT_B8G8R8X8_UNORM;
        cmd[n++] = 0;                     /* level */
        cmd[n++] = 0;                     /* first_layer | last_layer << 16 */
        cmd[n++] = VIRGL_CMD0(CCMD_SET_FRAMEBUFFER_STATE, 0, 3);
        cmd[n++] = 1;                     /* nr_cbufs */
        cmd[n++] = 0;                     /* no depth/stencil surface */
        cmd[n++] = 1;                     /* cbuf 0 = surface 1 */
    }
    cmd[n++] = VIRGL_CMD0(CCMD_CLEAR, 0, 8);
    cmd[n++] = CLEAR_COLOR0;
    cmd[n++] = fbits((float)((rgb >> 16) & 0xFF) / 255.0f);
    cmd[n++] = fbits((float)((rgb >> 8) & 0xFF) / 255.0f);
    cmd[n++] = fbits((float)(rgb & 0xFF) / 255.0f);
    cmd[n++] = fbits(1.0f);
    cmd[n++] = 0;                         /* depth (double) */
    cmd[n++] = 0;
    cmd[n++] = 0;                         /* stencil */
    struct drm_virtgpu_execbuffer eb = {
        .size = (uint32_t)(n * sizeof(uint32_t)),
        .command = (uint64_t)(uintptr_t)cmd,
        .bo_handles = (uint64_t)(uintptr_t)&bo,
        .num_bo_handles = 1,
        .fence_fd = -1,
    };
    xioctl(DRM_IOCTL_VIRTGPU_EXECBUFFER, &eb, "execbuffer");
    /* stride 0: the host's own layout of a non-blob resource (a guest stride is refused) */
    struct drm_virtgpu_3d_transfer_from_host tf = {.bo_handle = bo, .box = {.x = 0, .y = 0, .z = 0, .w = W, .h = H, .d = 1}};
    xioctl(DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST, &tf, "transfer-from-host");
    struct drm_virtgpu_3d_wait wt = {.handle = bo, .flags = 0};
    xioctl(DRM_IOCTL_VIRTGPU_WAIT, &wt, "wait");
    long bad = 0;
    for (int k = 0; k < W * H; k++)
        if ((map[k] & 0xFFFFFF) != rgb) bad++;
    if (bad == 0) say("PVGPU-VIRGL clear %06X ok first=%08X", rgb, map[0]);
    else {
        say("PVGPU-VIRGL clear %06X bad=%ld first=%08X last=%08X", rgb, bad, map[0], map[W * H - 1]);
        fail("clear-readback", (int)bad);
    }
}

int main(int argc, char **argv) {
    const char *dev = argc > 1 ? argv[1] : "/dev/dri/card0";
    fd = open(dev, O_RDWR | O_CLOEXEC);
    if (fd < 0) fail("open", errno);

    uint64_t has3d = getparam(VIRTGPU_PARAM_3D_FEATURES, 1);
    uint64_t fix = getparam(VIRTGPU_PARAM_CAPSET_QUERY_FIX, 0);
    uint64_t ids = getparam(VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs, 0);
    say("PVGPU-VIRGL 3d=%llu capset-fix=%lld capset-ids=%llx", (unsigned long long)has3d, (long long)fix,
        (unsigned long long)ids);
    if (has3d != 1) fail("no-3d", 0);

    /* VIRGL2 (version 2) where the host offers it, else VIRGL version 1 */
    static uint32_t caps[1024];
    uint32_t set = CAPSET_VIRGL2, version = 2;
    struct drm_virtgpu_get_caps gc = {.cap_set_id = set, .cap_set_ver = version, .addr = (uint64_t)(uintptr_t)caps,
                                      .size = sizeof caps};
    int r;
    do r = ioctl(fd, DRM_IOCTL_VIRTGPU_GET_CAPS, &gc);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
        set = CAPSET_VIRGL;
        version = 1;
        gc = (struct drm_virtgpu_get_caps){.cap_set_id = set, .cap_set_ver = version, .addr = (uint64_t)(uintptr_t)caps,
                                           .size = sizeof caps};
        xioctl(DRM_IOCTL_VIRTGPU_GET_CAPS, &gc, "get-caps");
    }
    say("PVGPU-VIRGL caps set=%u version=%u max_version=%u", set, version, caps[0]);
    if (caps[0] < 1) fail("caps-max-version", (int)caps[0]);

    struct drm_virtgpu_resource_create rc = {
        .target = TARGET_TEXTURE_2D, .format = FORMAT_B8G8R8X8_UNORM, .bind = BIND_RENDER_TARGET,
        .width = W, .height = H, .depth = 1, .array_size = 1, .last_level = 0, .nr_samples = 0,
        .size = W * H * 4, .stride = W * 4,
    };
    xioctl(DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc, "resource-create");
    say("PVGPU-VIRGL resource bo=%u res=%u %dx%d", rc.bo_handle, rc.res_handle, W, H);

    struct drm_virtgpu_map mp = {.handle = rc.bo_handle};
    xioctl(DRM_IOCTL_VIRTGPU_MAP, &mp, "map");
    uint32_t *map = mmap(NULL, W * H * 4, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t)mp.offset);
    if (map == MAP_FAILED) fail("mmap", errno);
    memset(map, 0xAB, W * H * 4); /* a colour neither clear uses: a transfer that did nothing shows */

    clear_and_check(rc.bo_handle, rc.res_handle, map, 0x2080C0, 1);
    clear_and_check(rc.bo_handle, rc.res_handle, map, 0xC04010, 0);

    munmap(map, W * H * 4);
    struct drm_gem_close cl = {.handle = rc.bo_handle};
    xioctl(DRM_IOCTL_GEM_CLOSE, &cl, "gem-close");
    close(fd);
    say("PVGPU-VIRGL-OK");
    return 0;
}
