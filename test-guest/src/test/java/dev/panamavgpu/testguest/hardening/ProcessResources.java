package dev.panamavgpu.testguest.hardening;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What this process holds, from /proc/self: open fds, mappings, mapped bytes, used heap. */
final class ProcessResources {
    private ProcessResources() {}

    /**
     * Open fds other than pipes. Sessions use no pipes, while child processes of earlier tests in
     * this JVM (QEMU, websockify, a browser) leave pipes that the JDK closes whenever their reaper
     * gets to it, which made the count drift during a run.
     */
    static int openFds() {
        File[] l = new File("/proc/self/fd").listFiles();
        if (l == null) return -1;
        int n = 0;
        for (File f : l) {
            try {
                if (!Files.readSymbolicLink(f.toPath()).toString().startsWith("pipe:")) n++;
            } catch (java.io.IOException closedMeanwhile) {
                // the fd of the listing itself, or one closed since
            }
        }
        return n;
    }

    static List<String> maps() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/maps"));
    }

    /** Mappings of the file behind {@code fd} (by inode), in this process. */
    static long mappingsOf(int fd) throws Exception {
        long ino = (Long) Files.getAttribute(Path.of("/proc/self/fd/" + fd), "unix:ino");
        return maps().stream().map(l -> l.split("\\s+")).filter(f -> f.length >= 5 && f[4].equals(Long.toString(ino))).count();
    }

    /** Bytes of all mappings whose path contains {@code name} (e.g. "memfd:guest-ram"). */
    static long mappedBytes(String name) throws Exception {
        long n = 0;
        for (String l : maps()) if (l.contains(name)) n += size(l);
        return n;
    }

    /** Bytes of every mapping of the process (reserved address space included). */
    static long mappedBytes() throws Exception {
        long n = 0;
        for (String l : maps()) n += size(l);
        return n;
    }

    private static long size(String line) {
        String range = line.substring(0, line.indexOf(' '));
        int dash = range.indexOf('-');
        return Long.parseUnsignedLong(range.substring(dash + 1), 16) - Long.parseUnsignedLong(range.substring(0, dash), 16);
    }

    /** Heap in use after full collections (several, until it stops shrinking). */
    static long heapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(20);
            long now = rt.totalMemory() - rt.freeMemory();
            if (now >= used) break;
            used = now;
        }
        return used;
    }
}
