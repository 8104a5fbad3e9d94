package dev.panamavgpu.vhostuser.loop;

/**
 * Who answers for a failure of code the loop runs on someone's behalf: a front-end connection, a
 * device, an ivshmem peer. Every watch, timer and task belongs to one scope (the one given, else the
 * scope of the handler that registered it, else the loop's own). When a handler throws, the loop
 * hands the throwable to its scope, which answers what it can and then resets its device or drops
 * its connection; the loop itself goes on serving every other scope.
 */
public interface FaultScope {
    /** Names the owner in the log: "front-end connection 2", "ivshmem peer 5". */
    String describe();

    /**
     * Contains {@code fault}, raised by the handler described by {@code where}. Runs on the loop
     * thread; must not throw (if it does, the loop stops: nothing is left to contain it).
     */
    void contain(String where, Throwable fault);
}
