/*
 * qxltest: a QXL guest driver in one static program, written from docs/qxl.md (QXL over ivshmem, "QXIV").
 * Runs from /init of the test initramfs when the kernel command line has pvgpu.test=qxl.
 *
 * Build: gcc -static -O2 -Wall -o qxltest qxltest.c   (libc only)
 *
 * No kernel driver: it finds the ivshmem-doorbell PCI function (1af4:1110) in sysfs, enables it, mmaps
 * BAR0 (registers: IntrMask 0, IntrStatus 4, IVPosition 8, Doorbell 12) and BAR2 (the shared region)
 * through resource0/resource2, and polls shared memory for completions (no interrupts: the device has
 * no INTx and MSI-X needs a driver). It then:
 *   checks the ROM and the QXIV transport page, RESETs, adds memslot 1 over the whole guest area,
 *   creates a W x H 32_xRGB primary surface, pushes the drawables of the picture below on the command
 *   ring (more than the ring holds, so the full-ring path runs), UPDATE_AREAs the whole primary, checks
 *   every pixel the host wrote back against its own rendering of the picture, collects the release
 *   ring until every command came back, and times a few IO round trips.
 * Serial console markers (stdout):
 *   PVGPU-INFO <text>                  diagnostics
 *   PVGPU-QXL-DONE <figures>           everything worked (exit 0); the primary stays for the host to read
 *   PVGPU-FAIL <what> <code>           a step failed (exit 1)
 *
 * The picture (0xRRGGBB; the Java twin is dev.panamavgpu.testguest.vm.QxlPicture: keep both in sync!),
 * W = 320, H = 240, drawn in this order, later drawables over earlier ones:
 *   1. FILL (0, 0, W, H) 0x203040
 *   2. for j in 0..3, i in 0..7: FILL (8 + 38 i, 8 + 30 j, 30, 22)
 *        (32 i + 31) << 16 | (64 j + 63) << 8 | (0x40 + 8 i + 16 j)
 *   3. COPY of a direct, top-down 64 x 48 bitmap A to (16, 140): A(x, y) = 4x << 16 | 5y << 8 | (2 (x + y) & 0xff)
 *   4. COPY of a 96 x 64 bitmap B in 1000-byte QXLDataChunks (rows cross chunks) to (200, 150):
 *        B(x, y) = ((x ^ y) & 0xff) << 16 | 2x << 8 | 3y
 *   5. FILL (180, 170, 40, 30) 0x00ff00 (over part of B)
 *   then UPDATE_AREA, a pause of 1.5 s (a VNC viewer watching gets the picture so far), and
 *   6. COPY_BITS of (8, 8, 106, 52) to (30, 20): overlapping, so the source is read before it is written
 *      (a viewer that asked for CopyRect gets this one as a CopyRect)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define W 320
#define H 240

/* docs/qxl.md section 2: region map and transport page */
#define ROM_OFF 0x0000u
#define TRANSPORT_OFF 0x1000u
#define RAM_OFF 0x2000u
#define GUEST_OFF 0x4000u
#define T_MAGIC 0x00
#define T_VERSION 0x04
#define T_PAGE_SIZE 0x08
#define T_SHM_SIZE 0x10
#define T_HOST_PEER_ID 0x18
#define T_N_VECTORS 0x1c
#define T_ROM_OFFSET 0x20
#define T_RAM_OFFSET 0x24
#define T_GUEST_OFFSET 0x28
#define T_IO_SEQ 0x40
#define T_IO_PORT 0x44
#define T_IO_VAL 0x48
#define T_GUEST_PEER_ID 0x50
#define T_IO_DONE_SEQ 0x60
#define T_IO_RESULT 0x64
#define T_BUG_CODE 0x6c
#define T_HELD_COMMANDS 0x80
#define QXIV_MAGIC 0x56495851u
/* QXLRom / QXLRam (spice qxl_dev.h) */
#define ROM_MAGIC 0x4f525851u
#define RAM_MAGIC 0x41525851u
#define ROM_RAM_HEADER 44
#define ROM_SLOTS_START 64
#define ROM_SLOTS_END 65
#define ROM_SLOT_GENERATION 68
#define RAM_INT_PENDING 4
#define RAM_CMD_RING 4108
#define RAM_RELEASE_RING 5172
#define RAM_UPDATE_AREA 5256
#define RAM_UPDATE_SURFACE 5272
#define RAM_MEM_SLOT 5276
#define RAM_CREATE_SURFACE 5292
#define R_PROD 4
#define R_NOTIFY_ON_PROD 8
#define R_CONS 12
#define R_NOTIFY_ON_CONS 16
#define R_ITEMS 20
#define CMD_RING_SIZE 32
#define RELEASE_RING_SIZE 8
/* IO ports, vectors, commands */
#define IO_UPDATE_AREA_ASYNC 16
#define IO_UPDATE_IRQ 3
#define IO_RESET 5
#define IO_MEMSLOT_ADD 8
#define IO_CREATE_PRIMARY_ASYNC 18
#define IO_FLUSH_RELEASE 23
#define VEC_KICK 0
#define VEC_IO 1
#define CMD_DRAW 1
#define DRAW_FILL 1
#define DRAW_COPY 3
#define DRAW_COPY_BITS 4
#define FMT_32_XRGB 32
#define INT_ERROR 8

static uint8_t *shm;          /* BAR2 */
static uint64_t shm_size;
static volatile uint32_t *regs; /* BAR0 */
static uint32_t host_id;
static uint32_t io_seq;
static uint32_t slot_gen;
static uint64_t heap = GUEST_OFF;
static uint32_t expect[W * H];

#define MAX_CMDS 64
static uint64_t cmds[MAX_CMDS]; /* region offset of each command = its release cookie */
static int released[MAX_CMDS];
static int n_cmds, n_released;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

static void fail(const char *what, long code) {
    say("PVGPU-FAIL %s %ld", what, code);
    exit(1);
}

/* ---- shared memory access: plain for data, atomics for the words the two sides synchronise on ---- */
static void wr8(uint64_t off, uint8_t v) { shm[off] = v; }
static void wr16(uint64_t off, uint16_t v) { memcpy(shm + off, &v, 2); }
static void wr32(uint64_t off, uint32_t v) { memcpy(shm + off, &v, 4); }
static void wr64(uint64_t off, uint64_t v) { memcpy(shm + off, &v, 8); }
static uint32_t rd32(uint64_t off) { uint32_t v; memcpy(&v, shm + off, 4); return v; }
static uint64_t rd64(uint64_t off) { uint64_t v; memcpy(&v, shm + off, 8); return v; }
static uint32_t ld_acq(uint64_t off) { return __atomic_load_n((uint32_t *)(shm + off), __ATOMIC_ACQUIRE); }
static void st_rel(uint64_t off, uint32_t v) { __atomic_store_n((uint32_t *)(shm + off), v, __ATOMIC_RELEASE); }
static void full_fence(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }

static void doorbell(uint32_t vector) {
    full_fence();
    regs[3] = (host_id << 16) | vector; /* one aligned 32-bit store to BAR0 + 12 */
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Polling with a short spin, then sleeps: the host answers in microseconds, a TCG guest is slow anyway. */
static void backoff(int round) {
    if (round > 100) usleep(round > 1000 ? 1000 : 50);
}

/* ---- sysfs ---- */
static int read_hex(const char *dir, const char *name, unsigned long *out) {
    char path[512], buf[64];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    int ok = fgets(buf, sizeof buf, f) != NULL;
    fclose(f);
    if (!ok) return -1;
    *out = strtoul(buf, NULL, 16);
    return 0;
}

static int find_device(char *dir, size_t len) {
    DIR *d = opendir("/sys/bus/pci/devices");
    if (!d) return -1;
    struct dirent *e;
    int found = -1;
    while ((e = readdir(d)) != NULL && found < 0) {
        if (e->d_name[0] == '.') continue;
        char p[512];
        unsigned long vendor, device;
        snprintf(p, sizeof p, "/sys/bus/pci/devices/%s", e->d_name);
        if (read_hex(p, "vendor", &vendor) == 0 && read_hex(p, "device", &device) == 0 && vendor == 0x1af4 &&
            device == 0x1110) {
            snprintf(dir, len, "%s", p);
            found = 0;
        }
    }
    closedir(d);
    return found;
}

/* start and end of BAR n from the "resource" file (one "start end flags" line per resource) */
static int bar_range(const char *dir, int n, uint64_t *start, uint64_t *end) {
    char path[512], line[256];
    snprintf(path, sizeof path, "%s/resource", dir);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    int rc = -1;
    for (int i = 0; i <= n && fgets(line, sizeof line, f); i++) {
        unsigned long long s, e, fl;
        if (i == n && sscanf(line, "%llx %llx %llx", &s, &e, &fl) == 3 && e > s) {
            *start = s;
            *end = e;
            rc = 0;
        }
    }
    fclose(f);
    return rc;
}

static void *map_resource(const char *dir, int n, size_t len) {
    char path[512];
    snprintf(path, sizeof path, "%s/resource%d", dir, n);
    int fd = open(path, O_RDWR | O_SYNC);
    if (fd < 0) fail("open-resource", errno);
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED) fail("mmap-resource", errno);
    close(fd);
    return p;
}

static void open_device(void) {
    char dir[512];
    if (find_device(dir, sizeof dir) < 0) fail("no-ivshmem-device", 0);
    say("PVGPU-INFO ivshmem-doorbell at %s", dir + strlen("/sys/bus/pci/devices/"));
    char enable[600];
    snprintf(enable, sizeof enable, "%s/enable", dir);
    int fd = open(enable, O_WRONLY);
    if (fd < 0 || write(fd, "1", 1) != 1) fail("enable", errno);
    close(fd);
    uint64_t s0, e0, s2, e2;
    if (bar_range(dir, 0, &s0, &e0) < 0 || bar_range(dir, 2, &s2, &e2) < 0) fail("bar-ranges", 0);
    shm_size = e2 - s2 + 1;
    uint8_t *bar0 = map_resource(dir, 0, 4096);
    regs = (volatile uint32_t *)(bar0 + (s0 & 0xfff)); /* BAR0 is 256 B and may not start a page */
    shm = map_resource(dir, 2, shm_size);
    say("PVGPU-INFO bar0 0x%llx bar2 0x%llx size %llu", (unsigned long long)s0, (unsigned long long)s2,
        (unsigned long long)shm_size);
}

/* ---- IO mailbox (docs/qxl.md section 4) ---- */
static int32_t io(uint32_t port, uint32_t val) {
    io_seq++;
    wr32(TRANSPORT_OFF + T_IO_PORT, port);
    wr32(TRANSPORT_OFF + T_IO_VAL, val);
    st_rel(TRANSPORT_OFF + T_IO_SEQ, io_seq);
    doorbell(VEC_IO);
    double deadline = now() + 10;
    for (int round = 0; ld_acq(TRANSPORT_OFF + T_IO_DONE_SEQ) != io_seq; round++) {
        if (now() > deadline) fail("io-timeout", port);
        backoff(round);
    }
    return (int32_t)rd32(TRANSPORT_OFF + T_IO_RESULT);
}

static void io_ok(uint32_t port, uint32_t val, const char *what) {
    int32_t r = io(port, val);
    if (r != 0) fail(what, r);
}

/* ---- guest memory ---- */
static uint64_t phys(uint64_t region_off) { /* slot 1 starts at GUEST_OFF */
    return (1ull << 56) | ((uint64_t)(slot_gen & 0xff) << 48) | (region_off - GUEST_OFF);
}

static uint64_t alloc(uint64_t size) {
    uint64_t at = (heap + 15) & ~15ull;
    if (at + size > shm_size) fail("heap-exhausted", (long)size);
    heap = at + size;
    memset(shm + at, 0, size);
    return at;
}

/* a command of size bytes; its release cookie is its own region offset (never 0) */
static uint64_t command(uint64_t size) {
    if (n_cmds == MAX_CMDS) fail("too-many-commands", n_cmds);
    uint64_t at = alloc(size);
    wr64(at, at);
    cmds[n_cmds++] = at;
    return at;
}

static void write_rect(uint64_t at, int x, int y, int w, int h) { /* QXLRect: top, left, bottom, right */
    wr32(at, y);
    wr32(at + 4, x);
    wr32(at + 8, y + h);
    wr32(at + 12, x + w);
}

/* ---- rings (docs/qxl.md section 5) ---- */
static void push_cmd(uint64_t phys_addr, uint32_t type) {
    uint64_t ring = RAM_OFF + RAM_CMD_RING;
    uint32_t prod = rd32(ring + R_PROD);
    double deadline = now() + 10;
    for (int round = 0; prod - ld_acq(ring + R_CONS) >= CMD_RING_SIZE; round++) {
        /* full: ask for notification, then re-check (the host may have consumed meanwhile) */
        wr32(ring + R_NOTIFY_ON_CONS, ld_acq(ring + R_CONS) + 1);
        full_fence();
        if (prod - ld_acq(ring + R_CONS) < CMD_RING_SIZE) break;
        if (now() > deadline) fail("cmd-ring-full", prod);
        backoff(round);
    }
    uint64_t item = ring + R_ITEMS + 16ull * (prod & (CMD_RING_SIZE - 1));
    wr64(item, phys_addr);
    wr32(item + 8, type);
    wr32(item + 12, 0);
    st_rel(ring + R_PROD, prod + 1);
    full_fence(); /* StoreLoad: publish prod before reading notify_on_prod */
    if (prod + 1 == ld_acq(ring + R_NOTIFY_ON_PROD)) doorbell(VEC_KICK);
}

static void collect_releases(void) {
    uint64_t ring = RAM_OFF + RAM_RELEASE_RING;
    uint32_t cons = rd32(ring + R_CONS);
    uint32_t prod = ld_acq(ring + R_PROD);
    while (cons != prod) {
        if (prod - cons > RELEASE_RING_SIZE) fail("release-ring-index", prod - cons);
        uint64_t id = rd64(ring + R_ITEMS + 8ull * (cons & (RELEASE_RING_SIZE - 1)));
        while (id != 0) { /* the chain runs through each command's QXLReleaseInfo */
            int k = 0;
            while (k < n_cmds && cmds[k] != id) k++;
            if (k == n_cmds) fail("release-unknown-cookie", (long)id);
            if (released[k]) fail("release-twice", (long)id);
            released[k] = 1;
            n_released++;
            id = rd64(cmds[k]);
        }
        cons++;
        st_rel(ring + R_CONS, cons);
        full_fence();
        prod = ld_acq(ring + R_PROD);
    }
    wr32(ring + R_NOTIFY_ON_PROD, cons + 1);
}

/* ---- the picture: each step both pushes its drawable and paints the expectation ---- */
static void expect_rect(int x, int y, int w, int h, uint32_t c) {
    for (int r = y; r < y + h; r++)
        for (int k = x; k < x + w; k++) expect[r * W + k] = c;
}

static uint64_t drawable(int type, int x, int y, int w, int h) {
    uint64_t d = command(191); /* sizeof(QXLDrawable) */
    wr32(d + 8, 0);            /* surface_id: the primary */
    wr8(d + 13, type);
    write_rect(d + 31, x, y, w, h); /* bbox; clip NONE */
    for (int i = 0; i < 3; i++) wr32(d + 63 + 4 * i, 0xffffffffu); /* surfaces_dest: none */
    return d;
}

static void fill(int x, int y, int w, int h, uint32_t color) {
    uint64_t d = drawable(DRAW_FILL, x, y, w, h);
    wr32(d + 123, 1);     /* brush SOLID */
    wr32(d + 127, color);
    wr16(d + 143, 8);     /* ROPD_OP_PUT */
    push_cmd(phys(d), CMD_DRAW);
    expect_rect(x, y, w, h, color);
}

static uint32_t bitmap_a(int x, int y) { return (uint32_t)(4 * x) << 16 | (uint32_t)(5 * y) << 8 | ((2 * (x + y)) & 0xff); }
static uint32_t bitmap_b(int x, int y) { return (uint32_t)((x ^ y) & 0xff) << 16 | (uint32_t)(2 * x) << 8 | (uint32_t)(3 * y); }

/* COPY of a w x h top-down 32BIT bitmap; chunk 0 = DIRECT data, else QXLDataChunks of that many bytes */
static void copy_bitmap(int x, int y, int w, int h, uint32_t (*px)(int, int), int chunk) {
    uint32_t stride = 4 * w, bytes = stride * h;
    uint64_t image = alloc(48); /* QXLImage: descriptor + QXLBitmap */
    wr8(image + 8, 0);          /* SPICE_IMAGE_TYPE_BITMAP */
    wr32(image + 10, w);
    wr32(image + 14, h);
    wr8(image + 18, 8); /* SPICE_BITMAP_FMT_32BIT */
    wr8(image + 19, (chunk == 0 ? 1 : 0) | 4); /* DIRECT?, TOP_DOWN */
    wr32(image + 20, w);
    wr32(image + 24, h);
    wr32(image + 28, stride);
    uint8_t *pixels = malloc(bytes);
    if (!pixels) fail("malloc", bytes);
    for (int r = 0; r < h; r++)
        for (int k = 0; k < w; k++) {
            uint32_t c = px(k, r);
            memcpy(pixels + r * stride + 4 * k, &c, 4);
            expect[(y + r) * W + x + k] = c;
        }
    if (chunk == 0) {
        uint64_t data = alloc(bytes);
        memcpy(shm + data, pixels, bytes);
        wr64(image + 40, phys(data));
    } else {
        uint64_t prev = 0;
        for (uint32_t at = 0; at < bytes; at += chunk) {
            uint32_t n = bytes - at < (uint32_t)chunk ? bytes - at : (uint32_t)chunk;
            uint64_t c = alloc(20 + n); /* QXLDataChunk: data_size, prev_chunk, next_chunk, data */
            wr32(c, n);
            memcpy(shm + c + 20, pixels + at, n);
            if (prev == 0) {
                wr64(image + 40, phys(c));
            } else {
                wr64(prev + 12, phys(c));
                wr64(c + 4, phys(prev));
            }
            prev = c;
        }
    }
    free(pixels);
    uint64_t d = drawable(DRAW_COPY, x, y, w, h);
    wr64(d + 123, phys(image));    /* src_bitmap */
    write_rect(d + 131, 0, 0, w, h); /* src_area */
    wr16(d + 147, 8);              /* ROPD_OP_PUT */
    push_cmd(phys(d), CMD_DRAW);
}

/* COPY_BITS within the primary: (sx, sy, w, h) to (x, y), as if the source were read first */
static void copy_bits(int x, int y, int w, int h, int sx, int sy) {
    uint64_t d = drawable(DRAW_COPY_BITS, x, y, w, h);
    wr32(d + 123, sx); /* src_pos */
    wr32(d + 127, sy);
    push_cmd(phys(d), CMD_DRAW);
    static uint32_t old[W * H];
    memcpy(old, expect, sizeof old);
    for (int r = 0; r < h; r++) memcpy(&expect[(y + r) * W + x], &old[(sy + r) * W + sx], 4u * w);
}

static void update_all(void) {
    write_rect(RAM_OFF + RAM_UPDATE_AREA, 0, 0, W, H);
    wr32(RAM_OFF + RAM_UPDATE_SURFACE, 0);
    io_ok(IO_UPDATE_AREA_ASYNC, 0, "io-update-area");
}

static void draw_picture(void) {
    fill(0, 0, W, H, 0x203040);
    for (int j = 0; j < 4; j++)
        for (int i = 0; i < 8; i++)
            fill(8 + 38 * i, 8 + 30 * j, 30, 22,
                 (uint32_t)(32 * i + 31) << 16 | (uint32_t)(64 * j + 63) << 8 | (uint32_t)(0x40 + 8 * i + 16 * j));
    copy_bitmap(16, 140, 64, 48, bitmap_a, 0);
    copy_bitmap(200, 150, 96, 64, bitmap_b, 1000);
    fill(180, 170, 40, 30, 0x00ff00);
}

int main(void) {
    open_device();
    uint32_t ivpos = regs[2];
    if (rd32(TRANSPORT_OFF + T_MAGIC) != QXIV_MAGIC) fail("transport-magic", rd32(TRANSPORT_OFF + T_MAGIC));
    if (rd32(TRANSPORT_OFF + T_VERSION) != 1) fail("transport-version", rd32(TRANSPORT_OFF + T_VERSION));
    if (rd32(TRANSPORT_OFF + T_PAGE_SIZE) != 4096) fail("page-size", rd32(TRANSPORT_OFF + T_PAGE_SIZE));
    if (rd64(TRANSPORT_OFF + T_SHM_SIZE) != shm_size) fail("shm-size", (long)rd64(TRANSPORT_OFF + T_SHM_SIZE));
    if (rd32(TRANSPORT_OFF + T_N_VECTORS) < 2) fail("n-vectors", rd32(TRANSPORT_OFF + T_N_VECTORS));
    if (rd32(TRANSPORT_OFF + T_ROM_OFFSET) != ROM_OFF || rd32(TRANSPORT_OFF + T_RAM_OFFSET) != RAM_OFF ||
        rd32(TRANSPORT_OFF + T_GUEST_OFFSET) != GUEST_OFF)
        fail("layout", rd32(TRANSPORT_OFF + T_GUEST_OFFSET));
    if (rd32(ROM_OFF) != ROM_MAGIC) fail("rom-magic", rd32(ROM_OFF));
    if (rd32(ROM_OFF + ROM_RAM_HEADER) != RAM_OFF) fail("rom-ram-header", rd32(ROM_OFF + ROM_RAM_HEADER));
    host_id = rd32(TRANSPORT_OFF + T_HOST_PEER_ID);
    wr32(TRANSPORT_OFF + T_GUEST_PEER_ID, ivpos); /* whom the host would interrupt */
    io_seq = rd32(TRANSPORT_OFF + T_IO_SEQ);
    say("PVGPU-INFO ivposition %u host-peer %u io-seq %u", ivpos, host_id, io_seq);

    io_ok(IO_RESET, 0, "io-reset");
    if (rd32(RAM_OFF) != RAM_MAGIC) fail("ram-magic", rd32(RAM_OFF));
    slot_gen = shm[ROM_OFF + ROM_SLOT_GENERATION];
    if (shm[ROM_OFF + ROM_SLOTS_START] > 1 || shm[ROM_OFF + ROM_SLOTS_END] < 1) fail("slot-range", shm[ROM_OFF + ROM_SLOTS_START]);
    wr64(RAM_OFF + RAM_MEM_SLOT, GUEST_OFF); /* mem_start, mem_end: region offsets */
    wr64(RAM_OFF + RAM_MEM_SLOT + 8, shm_size);
    io_ok(IO_MEMSLOT_ADD, 1, "io-memslot-add");

    uint64_t primary = alloc(4ull * W * H);
    uint64_t cs = RAM_OFF + RAM_CREATE_SURFACE;
    memset(shm + cs, 0, 40);
    wr32(cs, W);
    wr32(cs + 4, H);
    wr32(cs + 8, 4 * W); /* stride > 0: top-down */
    wr32(cs + 12, FMT_32_XRGB);
    wr64(cs + 32, phys(primary));
    io_ok(IO_CREATE_PRIMARY_ASYNC, 0, "io-create-primary");
    say("PVGPU-INFO primary %dx%d at 0x%llx generation %u", W, H, (unsigned long long)primary, slot_gen);

    double t0 = now();
    draw_picture();
    update_all();
    double t1 = now();
    usleep(1500000);
    copy_bits(30, 20, 106, 52, 8, 8);
    update_all();

    long bad = 0, first = -1;
    for (long i = 0; i < (long)W * H; i++) {
        if ((rd32(primary + 4 * i) & 0xffffff) != expect[i]) {
            if (first < 0) first = i;
            bad++;
        }
    }
    if (bad) {
        say("PVGPU-INFO first wrong pixel (%ld,%ld) 0x%06x expected 0x%06x", first % W, first / W,
            rd32(primary + 4 * first) & 0xffffff, expect[first]);
        fail("pixels", bad);
    }

    for (int round = 0; n_released < n_cmds && round < 50; round++) {
        collect_releases();
        if (n_released < n_cmds) io_ok(IO_FLUSH_RELEASE, 0, "io-flush-release");
    }
    if (n_released != n_cmds) fail("releases-missing", n_cmds - n_released);
    if (rd64(TRANSPORT_OFF + T_HELD_COMMANDS) != 0) fail("host-holds-commands", (long)rd64(TRANSPORT_OFF + T_HELD_COMMANDS));

    /* IO round trips (UPDATE_IRQ does nothing here: no bit is unmasked) */
    enum { N_IO = 200 };
    double t2 = now();
    for (int i = 0; i < N_IO; i++) io_ok(IO_UPDATE_IRQ, 0, "io-update-irq");
    double io_us = (now() - t2) / N_IO * 1e6;

    uint32_t bug = rd32(TRANSPORT_OFF + T_BUG_CODE);
    if (bug != 0 || (ld_acq(RAM_OFF + RAM_INT_PENDING) & INT_ERROR)) fail("device-error", bug);
    say("PVGPU-QXL-DONE drawables %d released %d draw-ms %.1f io-us %.1f", n_cmds, n_released, (t1 - t0) * 1e3,
        io_us);
    return 0;
}
