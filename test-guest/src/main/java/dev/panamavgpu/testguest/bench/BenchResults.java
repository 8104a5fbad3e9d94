package dev.panamavgpu.testguest.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every figure measured, per metric and per backend (the harness's own baselines under {@link #HARNESS}), per round. */
public final class BenchResults {
    public static final String HARNESS = "harness";

    /** A measured quantity. */
    public enum Metric {
        START_TO_ACCEPT("start to accepting a connection", "ms"),
        RSS_AFTER_SETUP("RSS after setup", "MiB"),
        LATENCY_P50("TRANSFER+FLUSH 64x64 round trip p50", "us"),
        LATENCY_P99("TRANSFER+FLUSH 64x64 round trip p99", "us"),
        FPS_1080("1920x1080 TRANSFER+FLUSH frames delivered", "fps"),
        GBPS_1080("1920x1080 bytes delivered to the display socket", "GB/s"),
        CEILING_1080("1920x1080 socket ceiling (socketpair, no backend)", "GB/s"),
        FPS_4K("3840x2160 TRANSFER+FLUSH frames delivered", "fps"),
        GBPS_4K("3840x2160 bytes delivered to the display socket", "GB/s"),
        CEILING_4K("3840x2160 socket ceiling (socketpair, no backend)", "GB/s"),
        RSS_AFTER_4K("RSS after the 4K run", "MiB"),
        HWM_AFTER_4K("peak RSS (VmHWM) after the 4K run", "MiB"),
        TRANSFER_1080("TRANSFER_TO_HOST_2D 1920x1080 alone", "GB/s"),
        TRANSFER_4K("TRANSFER_TO_HOST_2D 3840x2160 alone", "GB/s"),
        MEMCPY_1080("memcpy of 1920x1080x4 bytes (one thread)", "GB/s"),
        MEMCPY_4K("memcpy of 3840x2160x4 bytes (one thread)", "GB/s"),
        MANY_TIME("10,000-resource create/attach/transfer/unref", "ms"),
        MANY_HWM("peak RSS (VmHWM) after the many-resources run", "MiB"),
        QXL_IO_P50("QXL over ivshmem: IO doorbell-to-completion p50", "us"),
        QXL_IO_P99("QXL over ivshmem: IO doorbell-to-completion p99", "us"),
        QXL_DRAWABLES("QXL over ivshmem: FILL drawables through the ring", "1/s");

        /** Figures only a backend with QXL over ivshmem has (QEMU's C backends have no counterpart). */
        public boolean qxl() { return name().startsWith("QXL_"); }

        public final String title;
        public final String unit;

        Metric(String title, String unit) {
            this.title = title;
            this.unit = unit;
        }
    }

    private final Map<Metric, Map<String, List<Double>>> values = new LinkedHashMap<>();

    public synchronized void add(Metric m, String backend, double value) {
        values.computeIfAbsent(m, k -> new LinkedHashMap<>()).computeIfAbsent(backend, k -> new ArrayList<>()).add(value);
    }

    public synchronized List<Double> samples(Metric m, String backend) {
        return List.copyOf(values.getOrDefault(m, Map.of()).getOrDefault(backend, List.of()));
    }

    /** Median over rounds; NaN if never measured. */
    public double median(Metric m, String backend) { return Stats.median(samples(m, backend)); }
}
