package dev.panamavgpu.testguest.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guest-side 3D benchmark: boots the 3D test guest with {@code pvgpu.test=glbench} on a backend with 3D on;
 * gltest measures, in the guest, frames per second of a full-screen GL clear + page flip and of a textured
 * scene + page flip (each frame's flip is awaited, so the figure includes the backend's read-back scanout and
 * QEMU's display update). One run per backend; figures as the guest printed them.
 */
public final class GlBench {
    private GlBench() {}

    /**
     * @param renderer    GL_RENDERER in the guest ("?" if it never got that far)
     * @param clearFps    frames per second of clear + flip, NaN if not measured
     * @param texturedFps frames per second of the textured scene + flip, NaN if not measured
     * @param note        why figures are missing (the guest's failure, the backend's exit and last log line), or ""
     */
    public record Result(String label, String renderer, String mode, double clearFps, double texturedFps, String note) {
        public boolean virgl() { return renderer.toLowerCase(Locale.ROOT).contains("virgl"); }

        public String line() {
            return String.format(Locale.ROOT, "%-22s %-10s %12s %12s  %s%s", label, mode, fps(clearFps), fps(texturedFps),
                    renderer, note.isEmpty() ? "" : "  [" + note + "]");
        }

        private static String fps(double v) { return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1f", v); }
    }

    public static String header() {
        return String.format(Locale.ROOT, "%-22s %-10s %12s %12s  %s", "backend", "mode", "clear+flip/s", "textured/s",
                "GL_RENDERER in the guest");
    }

    private static final Pattern BENCH = Pattern.compile("PVGPU-BENCH (\\S+) (\\d+) ([0-9.]+) ([0-9.]+)");

    /** One backend, one boot. Never leaves QEMU or the backend running. */
    public static Result run(String label, List<String> backendCommand, Path guestDir, Path outDir, int seconds)
            throws IOException {
        Files.createDirectories(outDir);
        Path sockDir = Files.createTempDirectory(Path.of("/tmp"), "pvgpu-glb-");
        String renderer = "?", mode = "?";
        double clear = Double.NaN, textured = Double.NaN;
        List<String> notes = new ArrayList<>();
        BackendProcess backend = null;
        try {
            backend = BackendProcess.start(backendCommand, sockDir.resolve("vgpu.sock"), outDir.resolve("backend.log"),
                    Duration.ofSeconds(30));
            QemuVm.Config cfg = new QemuVm.Config("qemu-system-x86_64", guestDir.resolve("vmlinuz"),
                    guestDir.resolve("initramfs-3d.img"),
                    QemuVm.Config.DEFAULT_APPEND + " pvgpu.test=glbench pvgpu.seconds=" + seconds, backend.socketPath(),
                    sockDir.resolve("qmp.sock"), outDir, VirglGuestScenario.MEMORY, List.of());
            try (QemuVm vm = QemuVm.start(cfg)) {
                vm.awaitAny(Duration.ofSeconds(240), "PVGPU-FBCON");
                vm.sendLine("go");
                Duration budget = Duration.ofSeconds(2L * seconds + 120);
                while (true) {
                    String l = vm.awaitAny(budget, "PVGPU-GL-RENDERER", "PVGPU-MODE", "PVGPU-BENCH", "PVGPU-FAIL", "PVGPU-DONE",
                            "PVGPU-EXIT").text();
                    String t = l.substring(l.indexOf("PVGPU-"));
                    if (t.startsWith("PVGPU-GL-RENDERER")) renderer = t.substring("PVGPU-GL-RENDERER".length()).trim();
                    else if (t.startsWith("PVGPU-MODE")) mode = t.substring("PVGPU-MODE".length()).trim();
                    else if (t.startsWith("PVGPU-BENCH")) {
                        Matcher m = BENCH.matcher(t);
                        if (m.find()) {
                            if (m.group(1).equals("clear-flip")) clear = Double.parseDouble(m.group(4));
                            else if (m.group(1).equals("textured")) textured = Double.parseDouble(m.group(4));
                        }
                    } else if (t.startsWith("PVGPU-FAIL")) {
                        notes.add("guest: " + t.trim());
                        if (t.startsWith("PVGPU-FAIL gl-")) break; // gltest gave up (its exit may hang on a dead device)
                    } else break; // DONE or EXIT
                }
            } catch (TimeoutException e) {
                notes.add(e.getMessage());
            }
        } catch (IOException e) {
            notes.add("harness: " + e.getMessage());
        } finally {
            if (backend != null) {
                if (!backend.isAlive()) {
                    notes.add("backend exited with status " + backend.exitCode().orElse(-1) + ": "
                            + lastLine(BackendProcess.tail(outDir.resolve("backend.log"), 8)));
                }
                backend.stop();
            }
            GuestScenario.deleteTree(sockDir);
        }
        return new Result(label, renderer, mode, clear, textured, String.join("; ", notes));
    }

    private static String lastLine(String tail) {
        String[] lines = tail.strip().split("\n");
        for (int k = lines.length - 1; k >= 0; k--)
            if (!lines[k].isBlank() && !lines[k].startsWith("#")) return lines[k].strip();
        return "";
    }
}
