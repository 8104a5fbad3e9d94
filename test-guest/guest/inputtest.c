/*
 * inputtest: the panama-vgpu test guest's input check. Finds the evdev node of the backend's
 * virtio-input device by name, prints what the kernel learnt from its config space, then prints every
 * event read from it on stdout (the serial console) as "PVGPU-EV type code value" until Escape is
 * released. The harness injects keys and pointer moves on the host and compares the lines.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define WANT_NAME "panama-vgpu input"
#define BIT(a, n) (((a)[(n) / 8] >> ((n) % 8)) & 1)

static int find_device(char *path, size_t len) {
    for (int tries = 0; tries < 300; tries++) { /* up to 30 s for the driver to probe */
        DIR *d = opendir("/dev/input");
        struct dirent *e;
        while (d && (e = readdir(d)) != NULL) {
            if (strncmp(e->d_name, "event", 5) != 0) continue;
            snprintf(path, len, "/dev/input/%s", e->d_name);
            int fd = open(path, O_RDONLY);
            if (fd < 0) continue;
            char name[128] = {0};
            if (ioctl(fd, EVIOCGNAME(sizeof name - 1), name) >= 0 && strcmp(name, WANT_NAME) == 0) {
                closedir(d);
                return fd;
            }
            close(fd);
        }
        if (d) closedir(d);
        usleep(100000);
    }
    return -1;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    char path[300];
    int fd = find_device(path, sizeof path);
    if (fd < 0) {
        printf("PVGPU-FAIL no-input-device\n");
        return 1;
    }
    unsigned char ev[EV_MAX / 8 + 1] = {0}, keys[KEY_MAX / 8 + 1] = {0};
    struct input_absinfo ax = {0}, ay = {0};
    ioctl(fd, EVIOCGBIT(0, sizeof ev), ev);
    ioctl(fd, EVIOCGBIT(EV_KEY, sizeof keys), keys);
    ioctl(fd, EVIOCGABS(ABS_X), &ax);
    ioctl(fd, EVIOCGABS(ABS_Y), &ay);
    printf("PVGPU-INPUT-CAPS key=%d rel=%d abs=%d rep=%d KEY_A=%d BTN_LEFT=%d absx=%d..%d absy=%d..%d\n",
           BIT(ev, EV_KEY), BIT(ev, EV_REL), BIT(ev, EV_ABS), BIT(ev, EV_REP), BIT(keys, KEY_A), BIT(keys, BTN_LEFT),
           ax.minimum, ax.maximum, ay.minimum, ay.maximum);
    printf("PVGPU-INPUT-READY %s\n", path);
    struct input_event e[16];
    int n = 0;
    for (;;) {
        ssize_t r = read(fd, e, sizeof e);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            printf("PVGPU-FAIL read %d\n", errno);
            return 1;
        }
        for (size_t i = 0; i < r / sizeof e[0]; i++) {
            printf("PVGPU-EV %u %u %d\n", e[i].type, e[i].code, e[i].value);
            n++;
            if (e[i].type == EV_KEY && e[i].code == KEY_ESC && e[i].value == 0) {
                printf("PVGPU-INPUT-DONE %d\n", n);
                return 0;
            }
        }
    }
}
