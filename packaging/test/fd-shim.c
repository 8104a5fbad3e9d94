/* Plays libvirt's part for the package test: test-guest starts "fd-shim CMD ARGS... --socket-path=PATH";
 * the shim listens on PATH, accepts one connection (the harness playing QEMU), makes it fd 3 and execs
 * "CMD ARGS... --fd=3", so an installed backend is exercised the way libvirt starts it (an inherited,
 * connected socket), behind a harness that only knows socket paths. */
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv) {
    const char *prefix = "--socket-path=";
    if (argc < 3 || strncmp(argv[argc - 1], prefix, strlen(prefix)) != 0) {
        fprintf(stderr, "usage: fd-shim CMD [ARGS...] --socket-path=PATH\n");
        return 2;
    }
    const char *path = argv[argc - 1] + strlen(prefix);
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof a.sun_path) { fprintf(stderr, "fd-shim: path too long\n"); return 2; }
    strcpy(a.sun_path, path);
    int l = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) != 0 || listen(l, 1) != 0) { perror("fd-shim: listen"); return 1; }
    int c = accept(l, NULL, NULL);
    if (c < 0) { perror("fd-shim: accept"); return 1; }
    if (dup2(c, 3) != 3) { perror("fd-shim: dup2"); return 1; } /* dup2 clears close-on-exec */
    if (c != 3) close(c);
    char *args[argc + 1];
    for (int i = 1; i < argc - 1; i++) args[i - 1] = argv[i];
    args[argc - 2] = "--fd=3";
    args[argc - 1] = NULL;
    execvp(args[0], args);
    perror("fd-shim: exec");
    return 127;
}
