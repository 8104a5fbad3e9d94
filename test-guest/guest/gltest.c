/*
 * gltest: a GLES2 client on EGL/GBM/KMS, the way a real guest draws with Mesa's virgl driver (part of the 3D
 * layer of the test guest; /init runs it with pvgpu.test=virgl or pvgpu.test=glbench).
 *
 * Build (build-initramfs): gcc -O2 -I<mesa>/dev/include gltest.c <mesa>/root/.../libEGL.so.1 libGLESv2.so.2
 *   libgbm.so.1 libdrm.so.2, dynamically linked against the Debian packages fetch-mesa unpacked.
 *
 * "gltest steps SECONDS" (the end-to-end test): after each step a marker line, then it waits for one line
 * on stdin (the harness sends "next" after its screendump):
 *   PVGPU-GL-RENDERER <GL_RENDERER>   (must name virgl), PVGPU-GL-VERSION <GL_VERSION>
 *   PVGPU-MODE <w>x<h>
 *   PVGPU-MARK GL-A        scene A drawn, shown with SETCRTC
 *   PVGPU-MARK GL-B        scene B drawn, shown with a page flip (flip event awaited)
 *   PVGPU-GL-ANIM-START    then an animation for SECONDS, one page flip a frame, without waiting for the harness:
 *   PVGPU-GL-FPS <frames> <seconds>   once a second
 *   PVGPU-GL-ANIM <frames> <seconds> <fps>
 *   PVGPU-MARK GL-A2       scene A again (page flip)
 *   PVGPU-MARK GL-B2       scene B again (page flip)
 *   PVGPU-DONE             exit status 0 (the kernel gives the screen back to fbcon)
 * "gltest bench SECONDS" (the guest-side benchmark): no harness steps,
 *   PVGPU-BENCH clear-flip <frames> <seconds> <fps>   full-screen glClear + page flip, as fast as flips complete
 *   PVGPU-BENCH textured <frames> <seconds> <fps>     a full-screen textured quad + 16 small ones + page flip
 *   PVGPU-DONE
 * Failures: PVGPU-FAIL gl-<what> <code>, exit status 1.
 *
 * Scenes (the Java twin is dev.panamavgpu.testguest.vm.GlScenes; keep both in sync!). 0xRRGGBB; w, h = mode
 * size; y counts from the top of the screen; '/' truncates; rectangles are [x0, x1) x [y0, y1); later
 * rules win. Every edge is on a pixel boundary and every colour is k/255, so the result is exact.
 *   A: background 0x203040 (glClear); drawn quad [w/8, w/2) x [h/8, h/2) 0xFF0000; scissored clear
 *      [w/2, 7w/8) x [h/2, 7h/8) 0x00FF00; bars y in [h-40, h-8): x in [(i*w+7)/8, ((i+1)*w+7)/8) gets
 *      BARS[i] = {FF0000, 00FF00, 0000FF, FFFF00, 00FFFF, FF00FF, 000000, 808080} (drawn quads).
 *   B: background 0xF0C878; drawn quad [w/4, 3w/4) x [h/4, 3h/4) 0x1E3C5A; drawn quad [0, w/4) x [3h/4, h)
 *      0xFF00FF; scissored clear [3w/4, w) x [0, h/4) 0x00FFFF.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <GLES2/gl2.h>
#include <gbm.h>
#include <xf86drm.h>
#include <xf86drmMode.h>

#define FAIL_PREFIX "gl-"
#include "console.h"


static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- KMS + GBM + EGL ---- */
static int fd = -1;
static uint32_t crtc_id, conn_id;
static drmModeModeInfo mode;
static int W, H;
static struct gbm_device *gbm;
static struct gbm_surface *gsurf;
static struct gbm_bo *shown;
static EGLDisplay dpy;
static EGLSurface esurf;
static int crtc_set;

static void kms_init(void) {
    fd = open("/dev/dri/card0", O_RDWR | O_CLOEXEC);
    if (fd < 0) fail("open-card0", errno);
    drmModeRes *res = drmModeGetResources(fd);
    if (!res) fail("getresources", errno);
    drmModeConnector *conn = NULL;
    for (int i = 0; i < res->count_connectors && !conn; i++) {
        drmModeConnector *c = drmModeGetConnector(fd, res->connectors[i]);
        if (c && c->connection == DRM_MODE_CONNECTED && c->count_modes > 0) conn = c;
        else drmModeFreeConnector(c);
    }
    if (!conn) fail("no-connector", 0);
    conn_id = conn->connector_id;
    mode = conn->modes[0];
    for (int i = 0; i < conn->count_modes; i++)
        if (conn->modes[i].type & DRM_MODE_TYPE_PREFERRED) { mode = conn->modes[i]; break; }
    W = mode.hdisplay;
    H = mode.vdisplay;
    crtc_id = 0;
    if (conn->encoder_id) {
        drmModeEncoder *e = drmModeGetEncoder(fd, conn->encoder_id);
        if (e) { crtc_id = e->crtc_id; drmModeFreeEncoder(e); }
    }
    if (!crtc_id && res->count_crtcs > 0) crtc_id = res->crtcs[0];
    if (!crtc_id) fail("no-crtc", 0);
    drmModeFreeConnector(conn);
    drmModeFreeResources(res);

    gbm = gbm_create_device(fd);
    if (!gbm) fail("gbm-device", errno);
    gsurf = gbm_surface_create(gbm, W, H, GBM_FORMAT_XRGB8888, GBM_BO_USE_SCANOUT | GBM_BO_USE_RENDERING);
    if (!gsurf) fail("gbm-surface", errno);

    dpy = eglGetPlatformDisplay(EGL_PLATFORM_GBM_KHR, gbm, NULL);
    if (dpy == EGL_NO_DISPLAY) fail("egl-display", eglGetError());
    EGLint major, minor;
    if (!eglInitialize(dpy, &major, &minor)) fail("egl-initialize", eglGetError());
    if (!eglBindAPI(EGL_OPENGL_ES_API)) fail("egl-bind", eglGetError());
    const EGLint want[] = {EGL_SURFACE_TYPE, EGL_WINDOW_BIT, EGL_RED_SIZE, 8, EGL_GREEN_SIZE, 8, EGL_BLUE_SIZE, 8,
                           EGL_ALPHA_SIZE, 0, EGL_RENDERABLE_TYPE, EGL_OPENGL_ES2_BIT, EGL_NONE};
    EGLConfig cfgs[64], cfg = NULL;
    EGLint n = 0;
    if (!eglChooseConfig(dpy, want, cfgs, 64, &n) || n == 0) fail("egl-config", eglGetError());
    for (int i = 0; i < n && !cfg; i++) { /* the config whose native visual is the GBM surface's format */
        EGLint id;
        if (eglGetConfigAttrib(dpy, cfgs[i], EGL_NATIVE_VISUAL_ID, &id) && (uint32_t)id == GBM_FORMAT_XRGB8888) cfg = cfgs[i];
    }
    if (!cfg) fail("egl-config-xrgb8888", n);
    const EGLint ctx_attr[] = {EGL_CONTEXT_CLIENT_VERSION, 2, EGL_NONE};
    EGLContext ctx = eglCreateContext(dpy, cfg, EGL_NO_CONTEXT, ctx_attr);
    if (ctx == EGL_NO_CONTEXT) fail("egl-context", eglGetError());
    esurf = eglCreateWindowSurface(dpy, cfg, (EGLNativeWindowType)gsurf, NULL);
    if (esurf == EGL_NO_SURFACE) fail("egl-surface", eglGetError());
    if (!eglMakeCurrent(dpy, esurf, esurf, ctx)) fail("egl-make-current", eglGetError());
}

static void fb_destroy(struct gbm_bo *bo, void *data) {
    uint32_t *fb = data;
    drmModeRmFB(gbm_device_get_fd(gbm_bo_get_device(bo)), *fb);
    free(fb);
}

static uint32_t fb_for(struct gbm_bo *bo) {
    uint32_t *fb = gbm_bo_get_user_data(bo);
    if (fb) return *fb;
    fb = malloc(sizeof *fb);
    if (!fb) fail("malloc", 0);
    if (drmModeAddFB(fd, W, H, 24, 32, gbm_bo_get_stride(bo), gbm_bo_get_handle(bo).u32, fb)) fail("addfb", errno);
    gbm_bo_set_user_data(bo, fb, fb_destroy);
    return *fb;
}

static int flip_pending;
static void on_flip(int f, unsigned int seq, unsigned int sec, unsigned int usec, void *data) {
    (void)f; (void)seq; (void)sec; (void)usec; (void)data;
    flip_pending = 0;
}

/* Swaps, then shows the new front buffer: SETCRTC the first time, a page flip (awaited) after that. */
static void present(void) {
    if (!eglSwapBuffers(dpy, esurf)) fail("swap", eglGetError());
    struct gbm_bo *bo = gbm_surface_lock_front_buffer(gsurf);
    if (!bo) fail("lock-front", 0);
    uint32_t fb = fb_for(bo);
    if (!crtc_set) {
        if (drmModeSetCrtc(fd, crtc_id, fb, 0, 0, &conn_id, 1, &mode)) fail("setcrtc", errno);
        crtc_set = 1;
    } else {
        if (drmModePageFlip(fd, crtc_id, fb, DRM_MODE_PAGE_FLIP_EVENT, NULL)) fail("page-flip", errno);
        flip_pending = 1;
        drmEventContext ev = {.version = 2, .page_flip_handler = on_flip};
        while (flip_pending) {
            struct pollfd p = {.fd = fd, .events = POLLIN};
            int r = poll(&p, 1, 10000);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) fail("flip-event-timeout", r < 0 ? errno : 0);
            drmHandleEvent(fd, &ev);
        }
    }
    if (shown) gbm_surface_release_buffer(gsurf, shown);
    shown = bo;
}

/* ---- GL ---- */
static GLuint flat_prog, tex_prog, texture;
static GLint flat_color, flat_size, tex_size;

static GLuint shader(GLenum type, const char *src) {
    GLuint s = glCreateShader(type);
    glShaderSource(s, 1, &src, NULL);
    glCompileShader(s);
    GLint ok = 0;
    glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[256] = "";
        glGetShaderInfoLog(s, sizeof log, NULL, log);
        say("PVGPU-INFO shader: %s", log);
        fail("shader", (int)type);
    }
    return s;
}

static GLuint program(const char *vs, const char *fs) {
    GLuint p = glCreateProgram();
    glAttachShader(p, shader(GL_VERTEX_SHADER, vs));
    glAttachShader(p, shader(GL_FRAGMENT_SHADER, fs));
    glBindAttribLocation(p, 0, "a_pos");
    glBindAttribLocation(p, 1, "a_uv");
    glLinkProgram(p);
    GLint ok = 0;
    glGetProgramiv(p, GL_LINK_STATUS, &ok);
    if (!ok) fail("link", 0);
    return p;
}

/* positions in pixels, GL convention (y up); u_size turns them into clip space */
static const char *VS_FLAT =
    "attribute vec2 a_pos; uniform vec2 u_size;\n"
    "void main() { gl_Position = vec4(a_pos / u_size * 2.0 - 1.0, 0.0, 1.0); }\n";
static const char *FS_FLAT =
    "precision mediump float; uniform vec4 u_color;\n"
    "void main() { gl_FragColor = u_color; }\n";
static const char *VS_TEX =
    "attribute vec2 a_pos; attribute vec2 a_uv; uniform vec2 u_size; varying vec2 v_uv;\n"
    "void main() { v_uv = a_uv; gl_Position = vec4(a_pos / u_size * 2.0 - 1.0, 0.0, 1.0); }\n";
static const char *FS_TEX =
    "precision mediump float; uniform sampler2D u_tex; varying vec2 v_uv;\n"
    "void main() { gl_FragColor = texture2D(u_tex, v_uv); }\n";

static void gl_init(void) {
    flat_prog = program(VS_FLAT, FS_FLAT);
    flat_color = glGetUniformLocation(flat_prog, "u_color");
    flat_size = glGetUniformLocation(flat_prog, "u_size");
    tex_prog = program(VS_TEX, FS_TEX);
    tex_size = glGetUniformLocation(tex_prog, "u_size");
    /* a 256x256 texture: a checkerboard of 16-px squares tinted by a gradient */
    static uint8_t pix[256 * 256 * 4];
    for (int y = 0; y < 256; y++)
        for (int x = 0; x < 256; x++) {
            uint8_t *p = pix + (y * 256 + x) * 4;
            int on = ((x / 16) + (y / 16)) & 1;
            p[0] = (uint8_t)(on ? x : 255 - x);
            p[1] = (uint8_t)(on ? y : 128);
            p[2] = (uint8_t)(on ? 255 - y : x / 2);
            p[3] = 255;
        }
    glGenTextures(1, &texture);
    glBindTexture(GL_TEXTURE_2D, texture);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, 256, 256, 0, GL_RGBA, GL_UNSIGNED_BYTE, pix);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_REPEAT);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_REPEAT);
    glDisable(GL_DITHER);
    glViewport(0, 0, W, H);
    glEnableVertexAttribArray(0);
    if (glGetError() != GL_NO_ERROR) fail("gl-init", 0);
}

static void rgbf(uint32_t rgb, float *c) {
    c[0] = (float)((rgb >> 16) & 0xFF) / 255.0f;
    c[1] = (float)((rgb >> 8) & 0xFF) / 255.0f;
    c[2] = (float)(rgb & 0xFF) / 255.0f;
    c[3] = 1.0f;
}

static void clear(uint32_t rgb) {
    float c[4];
    rgbf(rgb, c);
    glClearColor(c[0], c[1], c[2], c[3]);
    glClear(GL_COLOR_BUFFER_BIT);
}

/* [x0, x1) x [y0, y1), y from the top */
static void scissor_clear(int x0, int y0, int x1, int y1, uint32_t rgb) {
    glEnable(GL_SCISSOR_TEST);
    glScissor(x0, H - y1, x1 - x0, y1 - y0);
    clear(rgb);
    glDisable(GL_SCISSOR_TEST);
}

static void quad(int x0, int y0, int x1, int y1, uint32_t rgb) {
    float c[4];
    rgbf(rgb, c);
    GLfloat v[8] = {(float)x0, (float)(H - y1), (float)x1, (float)(H - y1), (float)x0, (float)(H - y0), (float)x1,
                    (float)(H - y0)};
    glUseProgram(flat_prog);
    glUniform4fv(flat_color, 1, c);
    glUniform2f(flat_size, (float)W, (float)H);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, v);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
}

static const uint32_t BARS[8] = {0xFF0000, 0x00FF00, 0x0000FF, 0xFFFF00, 0x00FFFF, 0xFF00FF, 0x000000, 0x808080};

static void scene_a(void) {
    clear(0x203040);
    quad(W / 8, H / 8, W / 2, H / 2, 0xFF0000);
    scissor_clear(W / 2, H / 2, 7 * W / 8, 7 * H / 8, 0x00FF00);
    for (int i = 0; i < 8; i++) quad((i * W + 7) / 8, H - 40, ((i + 1) * W + 7) / 8, H - 8, BARS[i]);
}

static void scene_b(void) {
    clear(0xF0C878);
    quad(W / 4, H / 4, 3 * W / 4, 3 * H / 4, 0x1E3C5A);
    quad(0, 3 * H / 4, W / 4, H, 0xFF00FF);
    scissor_clear(3 * W / 4, 0, W, H / 4, 0x00FFFF);
}

/* frame k of the animation: a changing clear colour and a quad turning about the centre */
static void scene_anim(int k) {
    clear(((uint32_t)(k * 5) & 0xFF) << 16 | 0x3000 | (uint32_t)(255 - ((k * 5) & 0xFF)));
    float a = (float)k * 0.05f, cx = W / 2.0f, cy = H / 2.0f, r = (H < W ? H : W) / 3.0f;
    GLfloat v[8];
    for (int i = 0; i < 4; i++) {
        float ang = a + (float)(i == 0 ? 0 : i == 1 ? 1 : i == 2 ? 3 : 2) * 1.5707964f;
        v[2 * i] = cx + r * cosf(ang);
        v[2 * i + 1] = cy + r * sinf(ang);
    }
    float c[4];
    rgbf(0xFFFFFF, c);
    glUseProgram(flat_prog);
    glUniform4fv(flat_color, 1, c);
    glUniform2f(flat_size, (float)W, (float)H);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, v);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
}

/* the bench's textured scene: a full-screen quad with a scrolling texture, 16 small turning quads on it */
static void scene_textured(int k) {
    glUseProgram(tex_prog);
    glUniform2f(tex_size, (float)W, (float)H);
    glEnableVertexAttribArray(1);
    float s = (float)k * 0.01f;
    GLfloat v[8] = {0, 0, (float)W, 0, 0, (float)H, (float)W, (float)H};
    GLfloat uv[8] = {s, s, s + W / 256.0f, s, s, s + H / 256.0f, s + W / 256.0f, s + H / 256.0f};
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, v);
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 0, uv);
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    for (int q = 0; q < 16; q++) {
        float cx = (float)((q % 4) * 2 + 1) * W / 8.0f, cy = (float)((q / 4) * 2 + 1) * H / 8.0f, r = H / 10.0f;
        float a = (float)k * 0.04f + (float)q;
        for (int i = 0; i < 4; i++) {
            float ang = a + (float)(i == 0 ? 0 : i == 1 ? 1 : i == 2 ? 3 : 2) * 1.5707964f;
            v[2 * i] = cx + r * cosf(ang);
            v[2 * i + 1] = cy + r * sinf(ang);
        }
        GLfloat quv[8] = {0, 0, 1, 0, 0, 1, 1, 1};
        glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, 0, quv);
        glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    }
    glDisableVertexAttribArray(1);
}

/* runs frames of scene(k) + present for `seconds`; prints progress lines with `tag` if given */
static long run_frames(void (*scene)(int), double seconds, const char *tag, double *elapsed) {
    double t0 = now(), next = t0 + 1.0;
    long frames = 0;
    while (now() - t0 < seconds) {
        scene((int)frames);
        present();
        frames++;
        if (tag && now() >= next) {
            say("%s %ld %.3f", tag, frames, now() - t0);
            next += 1.0;
        }
    }
    *elapsed = now() - t0;
    if (glGetError() != GL_NO_ERROR) fail("gl-error", 0);
    return frames;
}

static void scene_clear(int k) { clear(k & 1 ? 0x102030 : 0xE0D0C0); }

int main(int argc, char **argv) {
    const char *what = argc > 1 ? argv[1] : "steps";
    double secs = argc > 2 ? atof(argv[2]) : 5;
    kms_init();
    gl_init();
    say("PVGPU-GL-RENDERER %s", (const char *)glGetString(GL_RENDERER));
    say("PVGPU-GL-VERSION %s", (const char *)glGetString(GL_VERSION));
    say("PVGPU-MODE %dx%d", W, H);
    double el;
    if (strcmp(what, "bench") == 0) {
        scene_a();
        present();
        long n = run_frames(scene_clear, secs, NULL, &el);
        say("PVGPU-BENCH clear-flip %ld %.3f %.2f", n, el, n / el);
        n = run_frames(scene_textured, secs, NULL, &el);
        say("PVGPU-BENCH textured %ld %.3f %.2f", n, el, n / el);
        say("PVGPU-DONE");
        return 0;
    }
    scene_a();
    present();
    say("PVGPU-MARK GL-A");
    wait_next();
    scene_b();
    present();
    say("PVGPU-MARK GL-B");
    wait_next();
    say("PVGPU-GL-ANIM-START %.1f", secs);
    long n = run_frames(scene_anim, secs, "PVGPU-GL-FPS", &el);
    say("PVGPU-GL-ANIM %ld %.3f %.2f", n, el, n / el);
    scene_a();
    present();
    say("PVGPU-MARK GL-A2");
    wait_next();
    scene_b();
    present();
    say("PVGPU-MARK GL-B2");
    wait_next();
    say("PVGPU-DONE");
    return 0;
}
