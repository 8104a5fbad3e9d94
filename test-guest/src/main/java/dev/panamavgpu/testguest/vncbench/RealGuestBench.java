package dev.panamavgpu.testguest.vncbench;

import dev.panamavgpu.testguest.backend.BackendCommand;
import dev.panamavgpu.testguest.vm.BackendProcess;
import dev.panamavgpu.testguest.vm.QemuVm;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * The same real Linux guest under QEMU (TCG), page-flipping two full-screen dumb buffers (drmtest's flip mode),
 * watched through either QEMU's own VNC server on its built-in virtio-gpu-pci (the anchor) or our backend's
 * --vnc behind vhost-user-gpu-pci. One VM boot per server and size; windows: no viewer, then each encoding.
 */
final class RealGuestBench {
    static final String GUEST = "Linux guest, TCG";
    private static final Duration BOOT = Duration.ofSeconds(240);

    /** Which VNC server shows the guest. */
    enum Server { QEMU, OURS }

    private RealGuestBench() {}

    static List<Row> run(Server server, BackendCommand ours, String label, VncBenchPlan plan, Path guestDir, Path dir)
            throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        for (VncBenchPlan.Size size : plan.sizes()) rows.addAll(one(server, ours, label, plan, guestDir, dir, size));
        return rows;
    }

    private static List<Row> one(Server server, BackendCommand ours, String label, VncBenchPlan plan, Path guestDir, Path dir,
                                 VncBenchPlan.Size size) throws IOException, InterruptedException {
        // sun_path holds 108 bytes: the sockets go to a short directory of their own
        Path sock = Files.createTempDirectory(Path.of("/tmp"), "vncbench-");
        Path vnc = sock.resolve("vnc.sock"), out = dir.resolve(server.name().toLowerCase() + "-" + size);
        long perWindow = plan.warmMillis() + plan.windowMillis();
        long guestSeconds = (perWindow * (1 + Encodings.MEASURED.size()) + 999) / 1000 + 10;
        String append = QemuVm.Config.DEFAULT_APPEND + " pvgpu.test=flip pvgpu.seconds=" + guestSeconds + " pvgpu.mode=" + size
                + (plan.guestFps() > 0 ? " pvgpu.fps=" + plan.guestFps() : "");
        String guestLabel = plan.guestFps() > 0 ? "Linux TCG <=" + plan.guestFps() + "/s" : GUEST;
        String res = "xres=" + size.width() + ",yres=" + size.height();
        BackendProcess backend = null;
        List<Row> rows = new ArrayList<>();
        try {
            QemuVm.Config cfg;
            if (server == Server.QEMU) {
                cfg = new QemuVm.Config("qemu-system-x86_64", guestDir.resolve("vmlinuz"), guestDir.resolve("initramfs.cpio.gz"), append,
                        null, sock.resolve("qmp.sock"), out, "512M", List.of("-device", "virtio-gpu-pci," + res, "-vnc", "unix:" + vnc));
            } else {
                List<String> argv = new ArrayList<>(ours.argv());
                argv.add("--vnc=unix:" + vnc);
                backend = BackendProcess.start(argv, sock.resolve("vgpu.sock"), out.resolve("backend.log"), Duration.ofSeconds(30));
                cfg = new QemuVm.Config("qemu-system-x86_64", guestDir.resolve("vmlinuz"), guestDir.resolve("initramfs.cpio.gz"), append,
                        backend.socketPath(), sock.resolve("qmp.sock"), out, "512M",
                        List.of("-global", "vhost-user-gpu-pci.xres=" + size.width(), "-global", "vhost-user-gpu-pci.yres=" + size.height()));
            }
            try (QemuVm vm = QemuVm.start(cfg)) {
                try {
                    String mode = vm.awaitAny(BOOT, "PVGPU-MODE", "PVGPU-FAIL").text();
                    if (!mode.contains("PVGPU-MODE " + size)) throw new IOException("the guest's mode: " + mode + " (wanted " + size + ")");
                    vm.awaitAny(BOOT, SerialFlips.MARKER, "PVGPU-FAIL");
                } catch (TimeoutException e) {
                    throw new IOException("the guest did not start flipping: " + e.getMessage());
                }
                long[] pid = backend != null ? new long[] {backend.pid(), vm.pid()} : new long[] {vm.pid()};
                GuestRate guest = new SerialFlips(vm);
                Thread.sleep(plan.warmMillis());
                rows.add(new Row(label, guestLabel, size, Row.NONE, Window.measure(null, pid, guest, size.width(), size.height(), plan.windowMillis())));
                for (Map.Entry<String, Integer> e : Encodings.MEASURED.entrySet()) {
                    try (ViewerLoop v = new ViewerLoop(RfbViewer.open(UnixDomainSocketAddress.of(vnc), e.getValue()), 0)) {
                        Thread.sleep(plan.warmMillis());
                        rows.add(new Row(label, guestLabel, size, e.getKey(), Window.measure(v, pid, guest, size.width(), size.height(), plan.windowMillis())));
                    }
                }
            }
        } finally {
            if (backend != null) backend.close();
        }
        return rows;
    }
}
