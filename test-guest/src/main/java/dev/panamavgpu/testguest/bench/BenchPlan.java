package dev.panamavgpu.testguest.bench;

/**
 * How much work each benchmark does.
 *
 * @param rounds            how often the whole set runs per backend (backends alternate; figures are medians)
 * @param latencyPairs      fenced TRANSFER+FLUSH pairs timed (two commands each)
 * @param warmupPairs       pairs run first and not timed
 * @param frames1080        whole-frame TRANSFER+FLUSH at 1920x1080
 * @param frames4k          the same at 3840x2160
 * @param transfers         whole-frame TRANSFERs without flush, per size
 * @param manyResources     small resources created, attached, transferred and unreferenced
 * @param qxlIos            QXL IO round trips timed through the ivshmem mailbox (as many again untimed first)
 * @param qxlDrawables      QXL FILL drawables pushed through the command ring
 */
public record BenchPlan(int rounds, int latencyPairs, int warmupPairs, int frames1080, int frames4k, int transfers,
                        int manyResources, int qxlIos, int qxlDrawables) {
    /** The workload: 100,000 commands of round trip, 10,000 resources. */
    public static BenchPlan full() { return new BenchPlan(3, 50_000, 5_000, 300, 100, 100, 10_000, 50_000, 500_000); }

    /** Seconds, for keeping the harness working (scripts/test); figures are not meaningful. */
    public static BenchPlan quick() { return new BenchPlan(1, 300, 50, 5, 3, 3, 200, 300, 2_000); }

    public BenchPlan withRounds(int r) {
        return new BenchPlan(r, latencyPairs, warmupPairs, frames1080, frames4k, transfers, manyResources, qxlIos, qxlDrawables);
    }
}
