package dev.panamavgpu.testguest.vncbench;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The table `test-guest vncbench` prints, and ours/QEMU ratios for the rows both servers have with the same guest. */
public record VncBenchReport(List<Row> rows, SlowViewerBench.Result slow, double loadBefore, double loadAfter, String ours, String qemu) {
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "load average (1 min) %.2f at the start, %.2f at the end; %d CPUs%n", loadBefore, loadAfter,
                Runtime.getRuntime().availableProcessors()));
        b.append(String.format(Locale.ROOT, "%-14s %-17s %-9s %-5s %8s %8s %10s %9s %7s %9s %7s %9s%n", "VNC server", "guest", "size", "enc",
                "fps", "upd/s", "KB/frame", "srv ms/f", "srv %", "all ms/f", "all %", "guest fps"));
        for (Row r : rows) {
            Window w = r.window();
            boolean v = !r.encoding().equals(Row.NONE);
            b.append(String.format(Locale.ROOT, "%-14s %-17s %-9s %-5s %8s %8s %10s %9s %7.0f %9s %7.0f %9.1f%n", r.server(), r.guest(), r.size(),
                    r.encoding(), v ? f(w.fps()) : "-", v ? f(w.updatesPerSecond()) : "-", v ? f(w.bytesPerFrame() / 1024) : "-",
                    v ? f(w.cpuMsPerFrame()) : "-", w.cpuPercent(), v ? f(w.allCpuMsPerFrame()) : "-", w.allCpuPercent(), w.guestFps()));
        }
        b.append("""
                fps: full screens of pixels the viewer received per second; upd/s: FramebufferUpdates per second; KB/frame:
                bytes the viewer read per full screen; srv: the VNC server's process (ours: the backend; QEMU's: QEMU, which
                also runs the guest under TCG); all: every process the guest's frames go through (ours: backend + QEMU);
                ms/f: CPU per delivered frame; %%: CPU over the window (200 = both cores); guest fps: page flips (or FLUSHes)
                the guest completed per second; enc none: no viewer connected.
                """.formatted());
        String ratios = ratios();
        if (!ratios.isEmpty()) b.append("\nours/QEMU, same real guest:\n").append(ratios);
        if (slow != null) b.append('\n').append(slow.text());
        return b.toString();
    }

    private String ratios() {
        StringBuilder b = new StringBuilder();
        for (Row q : rows) {
            if (!q.server().equals(qemu)) continue;
            Optional<Row> o = rows.stream().filter(r -> r.server().equals(ours) && r.guest().equals(q.guest()) && r.size().equals(q.size())
                    && r.encoding().equals(q.encoding())).findFirst();
            if (o.isEmpty()) continue;
            Window a = o.get().window(), c = q.window();
            if (q.encoding().equals(Row.NONE)) {
                b.append(String.format(Locale.ROOT, "  %-9s no viewer: guest fps %s, all CPU %% %s%n", q.size(), f(a.guestFps() / c.guestFps()),
                        f(a.allCpuPercent() / c.allCpuPercent())));
            } else {
                b.append(String.format(Locale.ROOT, "  %-9s %-5s: fps %s, bytes/frame %s, all CPU/frame %s, guest fps %s%n", q.size(), q.encoding(),
                        f(a.fps() / c.fps()), f(a.bytesPerFrame() / c.bytesPerFrame()), f(a.allCpuMsPerFrame() / c.allCpuMsPerFrame()),
                        f(a.guestFps() / c.guestFps())));
            }
        }
        return b.toString();
    }

    /** Three significant digits, as the other bench tables print. */
    static String f(double x) {
        if (Double.isNaN(x) || Double.isInfinite(x)) return "-";
        double a = Math.abs(x);
        return String.format(Locale.ROOT, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", x);
    }
}
