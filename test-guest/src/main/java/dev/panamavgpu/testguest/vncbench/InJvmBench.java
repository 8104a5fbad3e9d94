package dev.panamavgpu.testguest.vncbench;

import dev.panamavgpu.testguest.backend.BackendCommand;
import dev.panamavgpu.testguest.bench.BenchSession;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Our backend process with {@code --vnc=unix:PATH}, driven by the in-JVM guest (no VM): the peak a viewer can
 * get from it, since the guest here makes frames as fast as the backend answers.
 */
final class InJvmBench {
    static final String GUEST = "in-JVM driver";
    private static final long RAM = 320L << 20; // two 4K buffers (2 x 33 MB) with room to spare

    private InJvmBench() {}

    static List<Row> run(BackendCommand ours, VncBenchPlan plan, Path dir, String server) throws IOException, InterruptedException {
        Path vnc = dir.resolve("ours-injvm.vnc");
        Files.deleteIfExists(vnc);
        List<String> argv = new ArrayList<>(ours.argv());
        argv.add("--vnc=unix:" + vnc);
        List<Row> rows = new ArrayList<>();
        try (BenchSession s = BenchSession.start(new BackendCommand(ours.label() + "-vnc", argv), dir, RAM)) {
            long id = 1;
            for (VncBenchPlan.Size size : plan.sizes()) {
                try (FlipLoop guest = new FlipLoop(s, id, size.width(), size.height())) {
                    id += 2;
                    guest.start();
                    Thread.sleep(plan.warmMillis());
                    long[] pid = {s.backend().pid()};
                    rows.add(new Row(server, GUEST, size, Row.NONE, Window.measure(null, pid, guest, size.width(), size.height(), plan.windowMillis())));
                    for (Map.Entry<String, Integer> e : Encodings.MEASURED.entrySet()) {
                        try (ViewerLoop v = new ViewerLoop(RfbViewer.open(UnixDomainSocketAddress.of(vnc), e.getValue()), 0)) {
                            Thread.sleep(plan.warmMillis());
                            rows.add(new Row(server, GUEST, size, e.getKey(), Window.measure(v, pid, guest, size.width(), size.height(), plan.windowMillis())));
                        }
                    }
                    s.assertAlive("the VNC bench at " + size);
                }
            }
        }
        return rows;
    }
}
