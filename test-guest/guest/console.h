/*
 * What the in-guest test programs share: lines on the serial console (stdout) that kernel messages
 * cannot split, the failure line the harness waits for ("PVGPU-FAIL " FAIL_PREFIX "<what> <code>",
 * exit status 1), and the harness's "go on" (one line on stdin). A program defines FAIL_PREFIX
 * before including this file.
 */
#ifndef PVGPU_CONSOLE_H
#define PVGPU_CONSOLE_H
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#ifndef FAIL_PREFIX
#define FAIL_PREFIX ""
#endif

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...) {
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if (n > (int)sizeof buf - 2) n = sizeof buf - 2;
    buf[n++] = '\n';
    for (int off = 0; off < n;) { /* one write per line: kernel console output cannot split it */
        ssize_t r = write(1, buf + off, n - off);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return;
        off += r;
    }
}

static void fail(const char *what, int code) {
    say("PVGPU-FAIL " FAIL_PREFIX "%s %d", what, code);
    exit(1);
}

/* Waits for one line on stdin (the harness's "go on"). */
static __attribute__((unused)) void wait_next(void) {
    char c;
    for (;;) {
        ssize_t r = read(0, &c, 1);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) fail("stdin", errno);
        if (r == 0) fail("stdin-eof", 0);
        if (c == '\n' || c == '\r') return;
    }
}
#endif
