package dev.panamavgpu.testguest.qxl;

import java.util.concurrent.TimeUnit;

/** Polls a condition for up to 5 s. */
final class IvshmemWait {
    private IvshmemWait() {}

    @FunctionalInterface
    interface Cond {
        boolean met() throws Exception;
    }

    static void until(Cond c) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!c.met()) {
            if (System.nanoTime() > end) throw new AssertionError("condition not met within 5 s");
            Thread.sleep(1);
        }
    }
}
