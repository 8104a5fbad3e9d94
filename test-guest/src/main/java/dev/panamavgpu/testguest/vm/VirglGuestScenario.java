package dev.panamavgpu.testguest.vm;

import dev.panamavgpu.testguest.vm.GuestScenario.StepResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The end-to-end 3D scenario: boots the 3D test guest ({@code initramfs-3d.img}: the normal one + Debian's Mesa
 * + gltest, {@code pvgpu.test=virgl}) in QEMU/TCG with {@code vhost-user-gpu-pci} on a backend started with 3D
 * on, and checks:
 * <ol>
 *   <li>{@code fbcon}: the kernel console on the driver's framebuffer, 3D on;</li>
 *   <li>{@code raw-3d}: virgltest, the virtgpu 3D ioctls without Mesa (GETPARAM 3D, GET_CAPS, RESOURCE_CREATE,
 *   EXECBUFFER with a clear, TRANSFER_FROM_HOST, WAIT, MAP: every pixel read back);</li>
 *   <li>{@code renderer}: GL_RENDERER of Mesa's GLES on EGL/GBM names virgl (Mesa falls back to llvmpipe in the
 *   guest when the device offers no 3D: that fails here);</li>
 *   <li>{@code GL-A}, {@code GL-B}: {@link GlScenes} drawn with GLES, shown with SETCRTC, then a page flip,
 *   QMP screendumps compared exactly;</li>
 *   <li>{@code animation}: gltest animates with a page flip a frame; two screendumps during it must differ and
 *   it must report frames (its frames per second are in the step's detail);</li>
 *   <li>{@code GL-A2}, {@code GL-A2-paused}, {@code GL-A2-after-cont}, {@code GL-B2}: scene A again, QMP
 *   stop/cont, and a page flip to B afterwards;</li>
 *   <li>{@code done}, {@code fbcon-after}: gltest exits, the console has the screen again;</li>
 *   <li>{@code reset-*}: QMP {@code system_reset}; the guest boots again and does fbcon, raw-3d, renderer and GL-A.</li>
 * </ol>
 * The output directory keeps every screendump, serial.log, qemu.log, qmp.log, backend.log and result.txt.
 */
public final class VirglGuestScenario {

    /** The guest RAM of 3D runs: the Mesa layer unpacks to about 220 MB of tmpfs (512 MiB is not enough). */
    public static final String MEMORY = "1G";

    public record Options(List<String> backendCommand, Path outDir, Path kernel, Path initrd, String qemu,
                          Duration bootTimeout, Duration stepTimeout, Duration settleTimeout, int animationSeconds,
                          List<String> qemuExtraArgs) {
        public Options {
            backendCommand = List.copyOf(backendCommand);
            qemuExtraArgs = List.copyOf(qemuExtraArgs);
        }

        public static Options defaults(List<String> backendCommand, Path outDir, Path guestDir) {
            return new Options(backendCommand, outDir, guestDir.resolve("vmlinuz"), guestDir.resolve("initramfs-3d.img"),
                    "qemu-system-x86_64", Duration.ofSeconds(240), Duration.ofSeconds(90), Duration.ofSeconds(10), 4, List.of());
        }
    }

    static final String[] STEP_NAMES = {"fbcon", "raw-3d", "renderer", "GL-A", "GL-B", "animation", "GL-A2", "GL-A2-paused",
            "GL-A2-after-cont", "GL-B2", "done", "fbcon-after", "reset-fbcon", "reset-raw-3d", "reset-renderer", "reset-GL-A"};

    private final Options o;
    private final List<StepResult> steps = new ArrayList<>();
    private BackendProcess backend;
    private QemuVm vm;
    private int width = 1280, height = 800;
    private String renderer = "?";
    private String animation = "?";

    private VirglGuestScenario(Options o) { this.o = o; }

    /** Runs the scenario. Never leaves QEMU or the backend running. */
    public static GuestScenario.Result run(Options o) throws IOException {
        System.setProperty("java.awt.headless", "true");
        return new VirglGuestScenario(o).runInternal();
    }

    private GuestScenario.Result runInternal() throws IOException {
        Path out = o.outDir().toAbsolutePath();
        Files.createDirectories(out);
        try (var old = Files.list(out)) {
            for (Path p : old.filter(p -> p.toString().endsWith(".png")).toList()) Files.delete(p);
        }
        VmRun.Ended ended = VmRun.run(o.backendCommand(), out, "pvgpu-3d-", steps,
                (b, sockDir) -> new QemuVm.Config(o.qemu(), o.kernel(), o.initrd(),
                    QemuVm.Config.DEFAULT_APPEND + " pvgpu.test=virgl pvgpu.seconds=" + o.animationSeconds(),
                    b.socketPath(), sockDir.resolve("qmp.sock"), out, MEMORY, o.qemuExtraArgs()),
                (b, v) -> {
                    backend = b;
                    vm = v;
                    scenario();
                });
        for (String n : STEP_NAMES)
            if (steps.stream().noneMatch(s -> s.name().equals(n)))
                steps.add(new StepResult(n, false, -1, null, 0, "not run (an earlier step failed)"));
        steps.sort(Comparator.comparingInt(s -> order(s.name())));
        GuestScenario.Result r = new GuestScenario.Result(o.backendCommand(), List.copyOf(steps), out, out.resolve("serial.log"),
                ended.qemuCommandLine(), ended.backendStatus());
        Files.writeString(out.resolve("result.txt"), r.summary() + "GL_RENDERER: " + renderer + "\nanimation: " + animation + "\n",
                StandardCharsets.UTF_8);
        return r;
    }

    private static int order(String name) {
        int k = Arrays.asList(STEP_NAMES).indexOf(name);
        return k < 0 ? STEP_NAMES.length : k;
    }

    /** GL_RENDERER as the guest printed it ("?" before). */
    public String renderer() { return renderer; }

    private void scenario() throws IOException {
        long t0 = System.nanoTime();
        if (bootTo3d("", t0) && guestMark("GL-A", GlScenes.Scene.A, o.stepTimeout(), t0)) {
            vm.sendLine("next");
            if (guestMark("GL-B", GlScenes.Scene.B, o.stepTimeout(), System.nanoTime())) {
                vm.sendLine("next");
                if (animationStep() && guestMark("GL-A2", GlScenes.Scene.A, o.stepTimeout(), System.nanoTime())) {
                    long t1 = System.nanoTime();
                    vm.stop();
                    steps.add(compare("GL-A2-paused", GlScenes.Scene.A, t1, "status " + vm.status()));
                    long t2 = System.nanoTime();
                    vm.cont();
                    GuestScenario.sleep(1000); // let a backend that reacts to the new GPU socket do so
                    steps.add(compare("GL-A2-after-cont", GlScenes.Scene.A, t2, "status " + vm.status()));
                    vm.sendLine("next");
                    if (guestMark("GL-B2", GlScenes.Scene.B, o.stepTimeout(), System.nanoTime())) {
                        long t3 = System.nanoTime();
                        vm.sendLine("next");
                        if (awaitMark("done", "PVGPU-DONE", o.stepTimeout(), t3))
                            steps.add(new StepResult("done", true, -1, null, GuestScenario.ms(t3), "gltest exited 0"));
                        fbconStep("fbcon-after", "PVGPU-FBCON-AFTER", System.nanoTime(), false);
                    }
                }
            }
        }
        if (!vm.isAlive()) return;
        long t4 = System.nanoTime();
        vm.skipExistingLines();
        vm.systemReset();
        if (bootTo3d("reset-", t4)) guestMark("reset-GL-A", GlScenes.Scene.A, o.stepTimeout(), t4);
        try {
            vm.quit();
        } catch (IOException e) {
            // close() will end it
        }
    }

    /**
     * fbcon, raw-3d and renderer (each with the prefix), up to gltest's mode line. A renderer without virgl fails
     * its step but the scenes still run (Mesa then draws in the guest: the pixels tell the harness apart from the 3D path).
     */
    private boolean bootTo3d(String prefix, long t0) throws IOException {
        if (!fbconStep(prefix + "fbcon", "PVGPU-FBCON", t0, true)) return false;
        // raw-3d: virgltest's lines, whatever the result (gltest runs after it either way)
        long t1 = System.nanoTime();
        List<String> raw = new ArrayList<>();
        boolean rawOk = false;
        try {
            while (true) {
                String l = vm.awaitAny(o.stepTimeout(), "PVGPU-VIRGL", "PVGPU-FAIL").text().trim();
                raw.add(l.substring(l.indexOf("PVGPU-")));
                if (l.contains("PVGPU-VIRGL-OK")) rawOk = true;
                if (l.contains("PVGPU-VIRGL-EXIT")) break;
            }
        } catch (TimeoutException e) {
            raw.add(e.getMessage());
        }
        steps.add(new StepResult(prefix + "raw-3d", rawOk, -1, null, GuestScenario.ms(t1), String.join("; ", raw) + backendNote()));
        // renderer
        long t2 = System.nanoTime();
        try {
            QemuVm.SerialLine l = vm.awaitAny(o.stepTimeout(), "PVGPU-GL-RENDERER", "PVGPU-FAIL", "PVGPU-EXIT");
            if (!l.text().contains("PVGPU-GL-RENDERER")) {
                steps.add(new StepResult(prefix + "renderer", false, -1, null, GuestScenario.ms(t2), "guest: " + l.text().trim() + backendNote()));
                return false;
            }
            renderer = l.text().substring(l.text().indexOf("PVGPU-GL-RENDERER") + "PVGPU-GL-RENDERER".length()).trim();
            boolean virgl = renderer.toLowerCase(Locale.ROOT).contains("virgl");
            steps.add(new StepResult(prefix + "renderer", virgl, -1, null, GuestScenario.ms(t2), "GL_RENDERER \"" + renderer + "\""
                    + (virgl ? "" : " (virgl expected: Mesa fell back to rendering in the guest)")));
            Matcher m = MODE.matcher(vm.awaitAny(o.stepTimeout(), "PVGPU-MODE", "PVGPU-FAIL").text());
            if (!m.find()) return false;
            width = Integer.parseInt(m.group(1));
            height = Integer.parseInt(m.group(2));
            return true;
        } catch (TimeoutException e) {
            steps.add(new StepResult(prefix + "renderer", false, -1, null, GuestScenario.ms(t2), e.getMessage() + backendNote()));
            return false;
        }
    }

    private static final Pattern MODE = Pattern.compile("PVGPU-MODE (\\d+)x(\\d+)");
    private static final Pattern ANIM = Pattern.compile("PVGPU-GL-ANIM (\\d+) ([0-9.]+) ([0-9.]+)");

    private boolean fbconStep(String name, String marker, long t0, boolean sendGo) throws IOException {
        // after gltest's PVGPU-EXIT comes the second banner: only a failure ends the wait early
        if (!(sendGo ? awaitMark(name, marker, o.bootTimeout(), t0) : awaitMark(name, marker, o.stepTimeout(), t0, "PVGPU-FAIL")))
            return false;
        Path shot = o.outDir().toAbsolutePath().resolve(name + ".png");
        FbconShot f = FbconShot.take(p -> { vm.screendump(p); return null; }, shot, o.settleTimeout());
        steps.add(new StepResult(name, f.ok(), -1, shot, GuestScenario.ms(t0), f.describe() + (f.ok() ? "" : backendNote())));
        if (sendGo) vm.sendLine("go");
        return f.ok();
    }

    /** Two screendumps a second apart while gltest animates must differ; then its frame count. */
    private boolean animationStep() throws IOException {
        long t0 = System.nanoTime();
        if (!awaitMark("animation", "PVGPU-GL-ANIM-START", o.stepTimeout(), t0)) return false;
        Path s1 = o.outDir().toAbsolutePath().resolve("animation-1.png");
        Path s2 = o.outDir().toAbsolutePath().resolve("animation-2.png");
        vm.screendump(s1);
        GuestScenario.sleep(1000);
        vm.screendump(s2);
        var img1 = javax.imageio.ImageIO.read(s1.toFile());
        int w = img1 == null ? 0 : img1.getWidth(), h = img1 == null ? 0 : img1.getHeight();
        ScreenDiff d = img1 == null ? null : ScreenDiff.of(s2, img1.getRGB(0, 0, w, h, null, 0, w), w, h);
        boolean changed = d != null && d.problem() == null && d.count() > 0;
        try {
            String l = vm.awaitAny(Duration.ofSeconds(o.animationSeconds()).plus(o.stepTimeout()), "PVGPU-GL-ANIM ", "PVGPU-FAIL").text();
            Matcher m = ANIM.matcher(l);
            if (!m.find()) {
                steps.add(new StepResult("animation", false, -1, s2, GuestScenario.ms(t0), "guest: " + l.trim() + backendNote()));
                return false;
            }
            long frames = Long.parseLong(m.group(1));
            animation = String.format(Locale.ROOT, "%d frames in %s s = %s frames/s (page flip each)", frames, m.group(2), m.group(3));
            boolean ok = changed && frames >= o.animationSeconds();
            steps.add(new StepResult("animation", ok, -1, s2, GuestScenario.ms(t0), animation + "; screendumps 1 s apart "
                    + (d == null ? "unreadable" : changed ? "differ in " + d.count() + " pixels" : "are the same: " + d.describe())));
            return ok;
        } catch (TimeoutException e) {
            steps.add(new StepResult("animation", false, -1, s2, GuestScenario.ms(t0), e.getMessage() + backendNote()));
            return false;
        }
    }

    private boolean guestMark(String name, GlScenes.Scene scene, Duration timeout, long t0) throws IOException {
        if (!awaitMark(name, "PVGPU-MARK " + name.replace("reset-", ""), timeout, t0)) return false;
        StepResult r = compare(name, scene, t0, "mark after " + GuestScenario.ms(t0) + " ms");
        steps.add(r);
        return r.passed();
    }

    /** Screendumps until the screen equals the scene or settleTimeout passes. */
    private StepResult compare(String name, GlScenes.Scene scene, long t0, String detail) throws IOException {
        Path shot = o.outDir().toAbsolutePath().resolve(name + ".png");
        int[] expected = GlScenes.render(scene, width, height);
        ScreenDiff.Settled settled = ScreenDiff.settle(p -> { vm.screendump(p); return null; }, shot, expected, width, height,
                o.settleTimeout());
        ScreenDiff d = settled.diff();
        String det = detail + "; expected GL scene " + scene + "; " + settled.attempts() + " screendump(s)";
        if (d.count() != 0) {
            det += "; " + d.describe() + backendNote();
            if (d.problem() == null && ScreenDiff.of(shot, GlScenes.flipped(expected, width, height), width, height).count() == 0)
                det += "; the screen shows the scene upside down";
            ScreenDiff.writePng(o.outDir().toAbsolutePath().resolve(name + ".expected.png"), expected, width, height);
        }
        return new StepResult(name, d.count() == 0, d.count(), shot, GuestScenario.ms(t0), det);
    }

    private boolean awaitMark(String name, String marker, Duration timeout, long t0) throws IOException {
        return awaitMark(name, marker, timeout, t0, "PVGPU-FAIL", "PVGPU-EXIT");
    }

    /** Waits for a marker; on one of {@code failures} or timeout records a failed step {@code name}. */
    private boolean awaitMark(String name, String marker, Duration timeout, long t0, String... failures) throws IOException {
        try {
            List<String> any = new ArrayList<>(List.of(failures));
            any.addFirst(marker);
            QemuVm.SerialLine l = vm.awaitAny(timeout, any.toArray(String[]::new));
            if (l.text().contains(marker)) return true;
            steps.add(new StepResult(name, false, -1, null, GuestScenario.ms(t0), "guest: " + l.text().trim() + backendNote()));
        } catch (TimeoutException e) {
            steps.add(new StepResult(name, false, -1, null, GuestScenario.ms(t0), e.getMessage() + backendNote()));
        }
        return false;
    }

    private String backendNote() {
        return backend.isAlive() ? "" : " (backend exited, status " + backend.exitCode().orElse(-1) + ")";
    }
}
