package dev.panamavgpu.testguest.bench;

import java.util.Arrays;
import java.util.List;

/** Percentiles (nearest rank) and medians. */
public final class Stats {
    private Stats() {}

    /** The {@code p}-th percentile (0 < p ≤ 100) of {@code samples}, nearest rank; sorts a copy. */
    public static long percentile(long[] samples, double p) {
        if (samples.length == 0) throw new IllegalArgumentException("no samples");
        long[] s = samples.clone();
        Arrays.sort(s);
        int rank = (int) Math.ceil(p / 100.0 * s.length);
        return s[Math.max(0, Math.min(s.length - 1, rank - 1))];
    }

    public static double median(List<Double> values) {
        if (values.isEmpty()) return Double.NaN;
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
