package dev.panamavgpu.testguest.vm;

import dev.panamavgpu.testguest.vncbench.RfbViewer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
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
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The end-to-end display scenario for one vhost-user GPU backend: boots the test guest (Debian kernel +
 * busybox + {@code drmtest}) in QEMU/TCG with {@code vhost-user-gpu-pci} on the backend's socket and compares
 * QMP screendumps with {@link Patterns}, exactly (every pixel):
 * <ol>
 *   <li>{@code fbcon}: boot; the kernel's fbcon on the driver's framebuffer shows the guest's banner text;</li>
 *   <li>{@code A}: drmtest's SETCRTC with pattern A;</li>
 *   <li>{@code A-paused}: QMP {@code stop}, screendump while paused;</li>
 *   <li>{@code A-after-cont}: QMP {@code cont}, screendump again;</li>
 *   <li>{@code B}: page flip to pattern B (this needs a working backend after the stop/cont);</li>
 *   <li>{@code C}: DIRTYFB of one rectangle;</li>
 *   <li>{@code D}: cursor set + 2 moves (the primary plane must still show C; QEMU's screendump has no cursor);</li>
 *   <li>{@code done}: drmtest exits with PVGPU-DONE;</li>
 *   <li>{@code reset-fbcon}, {@code reset-A}: QMP {@code system_reset}, the guest boots again, shows its
 *   banner and then pattern A.</li>
 * </ol>
 * With {@link Options#withVnc}, every step is checked once more through the backend's VNC server:
 * {@code <step>-vnc} compares Debian's gvnccapture PNG with the pattern (the fbcon steps: with the
 * step's screendump, pixel for pixel; step D: with the cursor drawn in at its last position), and
 * {@code D-vnc-cursor} checks the cursor image a viewer asking for the Cursor pseudo-encoding gets.
 * Screendumps are retried until they match or {@code settleTimeout} passes (the backend updates QEMU's
 * display asynchronously). Everything is kept in the output directory: {@code <step>.png} (the last
 * screendump), {@code <step>.expected.png} for failed comparisons, serial.log, qemu.log, qmp.log, backend.log,
 * result.txt.
 */
public final class GuestScenario {

    public record Options(List<String> backendCommand, Path outDir, Path kernel, Path initrd, String qemu,
                          Duration bootTimeout, Duration stepTimeout, Duration settleTimeout, boolean pauseResume,
                          List<String> qemuExtraArgs, String vncDisplay) {
        public Options {
            backendCommand = List.copyOf(backendCommand);
            qemuExtraArgs = List.copyOf(qemuExtraArgs);
        }

        public Options(List<String> backendCommand, Path outDir, Path kernel, Path initrd, String qemu, Duration bootTimeout,
                       Duration stepTimeout, Duration settleTimeout, boolean pauseResume, List<String> qemuExtraArgs) {
            this(backendCommand, outDir, kernel, initrd, qemu, bootTimeout, stepTimeout, settleTimeout, pauseResume, qemuExtraArgs, null);
        }

        public static Options defaults(List<String> backendCommand, Path outDir, Path kernel, Path initrd) {
            return new Options(backendCommand, outDir, kernel, initrd, "qemu-system-x86_64", Duration.ofSeconds(180),
                    Duration.ofSeconds(60), Duration.ofSeconds(10), true, List.of());
        }

        /**
         * Also watch the screen through the backend's VNC server with Debian's {@code gvnccapture}
         * ({@code HOST:DISPLAY}, port 5900 + DISPLAY): every pattern step gets a {@code <step>-vnc} step
         * comparing the viewer's PNG with the pattern, exactly.
         */
        public Options withVnc(String display) {
            return new Options(backendCommand, outDir, kernel, initrd, qemu, bootTimeout, stepTimeout, settleTimeout, pauseResume,
                    qemuExtraArgs, display);
        }
    }

    /**
     * @param differingPixels pixels whose RGB differs from the expectation (-1: no comparison was made)
     * @param millis          time from the step's start until it passed or was given up
     * @param skipped         not run on purpose (does not count as a failure)
     */
    public record StepResult(String name, boolean passed, long differingPixels, Path screenshot, long millis, String detail,
                             boolean skipped) {
        StepResult(String name, boolean passed, long differingPixels, Path screenshot, long millis, String detail) {
            this(name, passed, differingPixels, screenshot, millis, detail, false);
        }

        public String line() {
            return String.format(Locale.ROOT, "%-13s %-4s diff=%-8s %7d ms  %s%s", name,
                    skipped ? "SKIP" : passed ? "PASS" : "FAIL",
                    differingPixels < 0 ? "-" : Long.toString(differingPixels), millis, detail,
                    screenshot == null ? "" : "  [" + screenshot.getFileName() + "]");
        }
    }

    public record Result(List<String> backendCommand, List<StepResult> steps, Path outDir, Path serialLog,
                         List<String> qemuCommandLine, String backendStatus) {
        public boolean passed() { return !steps.isEmpty() && steps.stream().allMatch(s -> s.passed() || s.skipped()); }

        public StepResult step(String name) {
            return steps.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
        }

        public String summary() {
            StringBuilder b = new StringBuilder();
            b.append("backend: ").append(String.join(" ", backendCommand)).append('\n');
            b.append("qemu:    ").append(QemuVm.shellJoin(qemuCommandLine)).append('\n');
            for (StepResult s : steps) b.append(s.line()).append('\n');
            b.append("backend at end: ").append(backendStatus).append('\n');
            b.append(passed() ? "RESULT PASS" : "RESULT FAIL").append('\n');
            return b.toString();
        }
    }

    static final String[] STEP_NAMES = {"fbcon", "A", "A-paused", "A-after-cont", "B", "C", "D", "done", "reset-fbcon", "reset-A"};

    private final Options o;
    private final List<StepResult> steps = new ArrayList<>();
    private BackendProcess backend;
    private QemuVm vm;
    private int width = 1280, height = 800;

    private GuestScenario(Options o) { this.o = o; }

    /** Runs the scenario. Never leaves QEMU or the backend running. */
    public static Result run(Options o) throws IOException {
        System.setProperty("java.awt.headless", "true");
        return new GuestScenario(o).runInternal();
    }

    private Result runInternal() throws IOException {
        Path out = o.outDir().toAbsolutePath();
        Files.createDirectories(out);
        try (Stream<Path> old = Files.list(out)) { // stale screenshots of an earlier run would confuse readers
            for (Path p : old.filter(p -> p.toString().endsWith(".png")).toList()) Files.delete(p);
        }
        VmRun.Ended ended = VmRun.run(o.backendCommand(), out, "pvgpu-", steps,
                (b, sockDir) -> new QemuVm.Config(o.qemu(), o.kernel(), o.initrd(), QemuVm.Config.DEFAULT_APPEND,
                    b.socketPath(), sockDir.resolve("qmp.sock"), out, "512M", o.qemuExtraArgs()),
                (b, v) -> {
                    backend = b;
                    vm = v;
                    scenario();
                });
        // every step gets a row, also the ones not reached
        for (String n : STEP_NAMES)
            if (steps.stream().noneMatch(s -> s.name().equals(n)))
                steps.add(new StepResult(n, false, -1, null, 0, "not run (an earlier step failed)"));
        steps.sort(Comparator.comparingInt(s -> order(s.name())));
        Result r = new Result(o.backendCommand(), List.copyOf(steps), out, out.resolve("serial.log"), ended.qemuCommandLine(), ended.backendStatus());
        Files.writeString(out.resolve("result.txt"), r.summary(), StandardCharsets.UTF_8);
        return r;
    }

    private static int order(String name) {
        int k = Arrays.asList(STEP_NAMES).indexOf(name);
        return k < 0 ? STEP_NAMES.length : k;
    }

    private void scenario() throws IOException {
        // ---- boot to mark A ----
        long t0 = System.nanoTime();
        boolean phase1 = fbconStep("fbcon", t0) && awaitMode("A", t0) && awaitMark("A", "PVGPU-MARK A", o.bootTimeout(), t0);
        if (phase1) {
            steps.add(compare("A", Patterns.Pattern.A, t0, "boot to mark A " + ms(t0) + " ms"));
            // ---- stop / cont ----
            if (o.pauseResume()) {
                long t1 = System.nanoTime();
                vm.stop();
                String st = vm.status();
                steps.add(compare("A-paused", Patterns.Pattern.A, t1, "status " + st));
                long t2 = System.nanoTime();
                vm.cont();
                sleep(1000); // let a backend that reacts to the new GPU socket do so
                steps.add(compare("A-after-cont", Patterns.Pattern.A, t2, "status " + vm.status()));
            } else {
                for (String n : new String[] {"A-paused", "A-after-cont"})
                    steps.add(new StepResult(n, false, -1, null, 0, "skipped (no stop/cont requested)", true));
            }
            // ---- B, C, D ----
            phase1 = guestStep("B", Patterns.Pattern.B)
                    && guestStep("C", Patterns.Pattern.C)
                    && guestStep("D", Patterns.Pattern.C);
            if (phase1) {
                long t3 = System.nanoTime();
                vm.sendLine("next");
                if (awaitMark("done", "PVGPU-DONE", o.stepTimeout(), t3))
                    steps.add(new StepResult("done", true, -1, null, ms(t3), "drmtest exited 0"));
            }
        }
        // ---- system_reset: the guest boots again ----
        if (!vm.isAlive()) return;
        long t4 = System.nanoTime();
        vm.skipExistingLines();
        vm.systemReset();
        if (fbconStep("reset-fbcon", t4) && awaitMode("reset-A", t4) && awaitMark("reset-A", "PVGPU-MARK A", o.bootTimeout(), t4))
            steps.add(compare("reset-A", Patterns.Pattern.A, t4, "reboot to mark A " + ms(t4) + " ms"));
        try {
            vm.quit();
        } catch (IOException e) {
            // close() will end it
        }
    }

    /** Waits for the guest's banner on fbcon and screendumps it ({@link FbconShot}). */
    private boolean fbconStep(String name, long t0) throws IOException {
        if (!awaitMark(name, "PVGPU-FBCON", o.bootTimeout(), t0)) return false;
        Path shot = o.outDir().toAbsolutePath().resolve(name + ".png");
        FbconShot f = FbconShot.take(p -> { vm.screendump(p); return null; }, shot, o.settleTimeout());
        steps.add(new StepResult(name, f.ok(), -1, shot, ms(t0), f.describe() + (f.ok() ? "" : backendNote())));
        if (f.ok() && o.vncDisplay() != null) steps.add(compareVncWithScreendump(name + "-vnc", shot));
        vm.sendLine("go");
        return f.ok();
    }

    /**
     * The fbcon text as the VNC viewer gets it must be the screendump's, pixel for pixel (the text has no
     * pattern to compare with; the console's cursor is off, so the screen is still while the guest waits).
     */
    private StepResult compareVncWithScreendump(String name, Path screendump) throws IOException {
        BufferedImage img = ImageIO.read(screendump.toFile());
        int w = img.getWidth(), h = img.getHeight();
        int[] expected = img.getRGB(0, 0, w, h, null, 0, w);
        int keepW = width, keepH = height;
        width = w; // compareVnc compares at the scenario's size
        height = h;
        try {
            StepResult r = compareVnc(name, "the screendump " + screendump.getFileName(), expected);
            return r;
        } finally {
            width = keepW;
            height = keepH;
        }
    }

    /**
     * Step D once more through the project's RFB viewer asking for the Cursor pseudo-encoding: it must get
     * the guest's cursor image (64x64, hotspot 0,0, every pixel shown: the device makes the driver's XRGB
     * cursor opaque) and a picture without the cursor drawn in (pattern C exactly), since it draws the
     * cursor itself. The RFB cursor carries no position: that is checked by D-vnc, where it is drawn in.
     */
    private StepResult cursorThroughVnc(String name, int[] pictureWithoutCursor) throws IOException {
        long t0 = System.nanoTime();
        var addr = VncCapture.address(o.vncDisplay());
        long deadline = System.nanoTime() + o.settleTimeout().toNanos();
        String problem = "no update";
        long diff = -1;
        try (RfbViewer v = RfbViewer.connect(addr).handshake(8, null)) {
            Thread guard = Thread.ofVirtual().start(() -> { // a server that stops answering must not hang the scenario
                sleep(o.settleTimeout().toMillis() + 5000);
                try {
                    v.disconnect();
                } catch (IOException ignored) {
                    // closing
                }
            });
            v.setEncodings(RfbViewer.RAW, RfbViewer.CURSOR,
                    RfbViewer.DESKTOP_SIZE).requestAll(false);
            while (true) {
                if (v.readMessage() == 0) {
                    problem = cursorProblem(v.cursor());
                    diff = v.width() != width || v.height() != height ? (long) width * height : 0;
                    for (int y = 0; diff == 0 && y < height; y++)
                        for (int x = 0; x < width; x++) if (v.rgbAt(x, y) != (pictureWithoutCursor[y * width + x] & 0xFFFFFF)) diff++;
                    if ((diff == 0 && problem == null) || System.nanoTime() > deadline) break;
                    v.requestAll(false);
                }
            }
            guard.interrupt();
        } catch (IOException e) {
            problem = e.toString();
        }
        boolean ok = diff == 0 && problem == null;
        return new StepResult(name, ok, diff, null, ms(t0), "RFB viewer with the Cursor pseudo-encoding; picture: pattern C without the cursor"
                + (problem == null ? "; cursor image 64x64 hotspot 0,0 exact" : "; " + problem));
    }

    private static String cursorProblem(RfbViewer.Cursor c) {
        if (c == null) return "no Cursor rectangle";
        if (c.width() != 64 || c.height() != 64 || c.hotX() != 0 || c.hotY() != 0)
            return "cursor " + c.width() + "x" + c.height() + " hotspot " + c.hotX() + "," + c.hotY();
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 64; x++) {
                int want = Patterns.cursor(x, y) & 0xFFFFFF, got = c.rgb()[y * 64 + x];
                if (got != want || !c.shows(x, y))
                    return String.format(Locale.ROOT, "cursor pixel (%d,%d) %06X shown=%b, want %06X shown", x, y, got, c.shows(x, y), want);
            }
        return null;
    }

    /** Sends "next", waits for the mark, compares. */
    private boolean guestStep(String name, Patterns.Pattern expected) throws IOException {
        long t = System.nanoTime();
        vm.sendLine("next");
        if (!awaitMark(name, "PVGPU-MARK " + name, o.stepTimeout(), t)) return false;
        String detail = "mark after " + ms(t) + " ms";
        if (name.equals("D")) detail += "; cursor set+moved, primary plane must still be C";
        steps.add(compare(name, expected, t, detail));
        return true;
    }

    private static final Pattern MODE = Pattern.compile("PVGPU-MODE (\\d+)x(\\d+)");

    private boolean awaitMode(String name, long t0) throws IOException {
        try {
            QemuVm.SerialLine l = vm.awaitAny(o.bootTimeout(), "PVGPU-MODE", "PVGPU-FAIL");
            Matcher m = MODE.matcher(l.text());
            if (m.find()) {
                width = Integer.parseInt(m.group(1));
                height = Integer.parseInt(m.group(2));
                return true;
            }
            steps.add(new StepResult(name, false, -1, null, ms(t0), "guest: " + l.text().trim()));
        } catch (TimeoutException e) {
            steps.add(new StepResult(name, false, -1, null, ms(t0), e.getMessage() + backendNote()));
        }
        return false;
    }

    /** Waits for a marker; on PVGPU-FAIL or timeout records a failed step {@code name} and returns false. */
    private boolean awaitMark(String name, String marker, Duration timeout, long t0) throws IOException {
        try {
            QemuVm.SerialLine l = vm.awaitAny(timeout, marker, "PVGPU-FAIL", "PVGPU-EXIT");
            if (l.text().contains(marker)) return true;
            steps.add(new StepResult(name, false, -1, null, ms(t0), "guest: " + l.text().trim() + backendNote()));
        } catch (TimeoutException e) {
            steps.add(new StepResult(name, false, -1, null, ms(t0), e.getMessage() + backendNote()));
        }
        return false;
    }

    private String backendNote() {
        return backend.isAlive() ? "" : " (backend exited, status " + backend.exitCode().orElse(-1) + ")";
    }

    /** Screendumps until the screen equals the pattern or settleTimeout passes. */
    private StepResult compare(String name, Patterns.Pattern pattern, long t0, String detail) throws IOException {
        Path shot = o.outDir().toAbsolutePath().resolve(name + ".png");
        int[] expected = Patterns.render(pattern, width, height);
        ScreenDiff.Settled settled = ScreenDiff.settle(p -> { vm.screendump(p); return null; }, shot, expected, width, height,
                o.settleTimeout());
        ScreenDiff d = settled.diff();
        String det = detail + "; expected " + pattern + "; " + settled.attempts() + " screendump(s)";
        if (d.count() != 0) {
            det += "; " + d.describe() + backendNote();
            if (d.problem() == null) { // does the screen show another known image?
                for (Patterns.Pattern other : Patterns.Pattern.values()) {
                    if (other != pattern && ScreenDiff.of(shot, Patterns.render(other, width, height), width, height).count() == 0)
                        det += "; the screen shows pattern " + other;
                }
            }
            ScreenDiff.writePng(o.outDir().toAbsolutePath().resolve(name + ".expected.png"), expected, width, height);
        }
        StepResult r = new StepResult(name, d.count() == 0, d.count(), shot, ms(t0), det);
        if (o.vncDisplay() != null) steps.add(compareVnc(name + "-vnc", name.equals("D") ? pattern + " with the cursor drawn in" : pattern.toString(),
                name.equals("D") ? withCursor(expected) : expected));
        if (o.vncDisplay() != null && name.equals("D")) steps.add(cursorThroughVnc("D-vnc-cursor", expected));
        return r;
    }

    /**
     * What gvnccapture sees after step D: it does not ask for the Cursor pseudo-encoding, so the backend
     * draws the guest's cursor into its picture, at the last position (hotspot 0,0). The Linux driver's
     * cursor is an XRGB dumb buffer whose X byte carries the alpha; the device makes X formats opaque
     * (PixelScenarios.cursorImageIsA8r8g8b8), so the whole 64x64 image shows, transparent pixels black.
     */
    private int[] withCursor(int[] picture) {
        int[] out = picture.clone();
        int[] at = Patterns.CURSOR_POSITIONS[Patterns.CURSOR_POSITIONS.length - 1];
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 64; x++)
                if (at[0] + x < width && at[1] + y < height) out[(at[1] + y) * width + at[0] + x] = Patterns.cursor(x, y) & 0xFFFFFF;
        return out;
    }

    /** The same picture as a real VNC viewer (gvnccapture, lossless PNG) gets it from the backend. */
    private StepResult compareVnc(String name, String pattern, int[] expected) throws IOException {
        long t0 = System.nanoTime();
        Path shot = o.outDir().toAbsolutePath().resolve(name + ".png");
        ScreenDiff.Settled settled = ScreenDiff.settle(p -> {
            Files.deleteIfExists(p);
            return VncCapture.capture(o.vncDisplay(), p, Duration.ofSeconds(20));
        }, shot, expected, width, height, o.settleTimeout());
        ScreenDiff d = settled.diff();
        String det = "gvnccapture " + o.vncDisplay() + "; expected " + pattern + "; " + settled.attempts() + " capture(s)";
        if (d.count() != 0) det += "; " + d.describe();
        return new StepResult(name, d.count() == 0, d.count(), Files.exists(shot) ? shot : null, ms(t0), det);
    }

    static long ms(long t0) { return (System.nanoTime() - t0) / 1_000_000; }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }

    // ---- command line ----

    private static void usage(PrintStream out) {
        out.println("""
                usage: GuestScenario --backend 'CMD [ARGS]' --out DIR [options]
                  --backend CMD      backend command line (split at spaces); --socket-path=PATH is appended
                  --out DIR          screenshots, logs and result.txt go here
                  --guest DIR        directory with vmlinuz + initramfs.cpio.gz (default: build with
                                     test-guest/guest/build-initramfs into ${PANAMA_VGPU_CACHE:-<repo>/.cache}/guest)
                  --repo DIR         the panama-vgpu checkout (default: found from the working directory)
                  --qemu PATH        QEMU binary (default qemu-system-x86_64)
                  --qemu-arg ARG     extra QEMU argument (repeatable), e.g. --qemu-arg -trace --qemu-arg 'vhost_user_*'
                  --boot-timeout S   seconds to wait for boot to mark A (default 180)
                  --step-timeout S   seconds to wait for each later mark (default 60)
                  --settle S         seconds to retry a screendump until it matches (default 10)
                  --no-pause         skip the QMP stop/cont steps (A-paused, A-after-cont are reported as SKIP)
                exit status 0 if every step passed, 1 if any failed, 2 for usage errors""");
    }

    public static void main(String[] args) throws Exception {
        List<String> backendCmd = null;
        Path out = null, guest = null, repo = null;
        String qemu = "qemu-system-x86_64";
        List<String> qemuArgs = new ArrayList<>();
        int boot = 180, step = 60, settle = 10;
        boolean pause = true;
        for (int k = 0; k < args.length; k++) {
            String a = args[k];
            String v = k + 1 < args.length ? args[k + 1] : null;
            switch (a) {
                case "--backend" -> backendCmd = List.of(need(v, a).trim().split("\\s+"));
                case "--out" -> out = Path.of(need(v, a));
                case "--guest" -> guest = Path.of(need(v, a));
                case "--repo" -> repo = Path.of(need(v, a));
                case "--qemu" -> qemu = need(v, a);
                case "--qemu-arg" -> qemuArgs.add(need(v, a));
                case "--boot-timeout" -> boot = Integer.parseInt(need(v, a));
                case "--step-timeout" -> step = Integer.parseInt(need(v, a));
                case "--settle" -> settle = Integer.parseInt(need(v, a));
                case "--no-pause" -> {
                    pause = false;
                    k--; // no value
                }
                case "-h", "--help" -> {
                    usage(System.out);
                    return;
                }
                default -> {
                    System.err.println("unknown argument " + a);
                    usage(System.err);
                    System.exit(2);
                }
            }
            k++;
        }
        if (backendCmd == null || out == null) {
            usage(System.err);
            System.exit(2);
        }
        if (guest == null) guest = buildGuest(repo);
        Options o = new Options(backendCmd, out, guest.resolve("vmlinuz"), guest.resolve("initramfs.cpio.gz"), qemu,
                Duration.ofSeconds(boot), Duration.ofSeconds(step), Duration.ofSeconds(settle), pause, qemuArgs);
        Result r = run(o);
        System.out.print(r.summary());
        System.exit(r.passed() ? 0 : 1);
    }

    private static String need(String v, String opt) {
        if (v == null) {
            System.err.println(opt + " needs a value");
            System.exit(2);
        }
        return v;
    }

    /** Runs build-initramfs into the cache and returns the directory. */
    public static Path buildGuest(Path repo) throws IOException, InterruptedException {
        if (repo == null) repo = findRepo();
        Path script = repo.resolve("test-guest/guest/build-initramfs");
        String cacheEnv = System.getenv("PANAMA_VGPU_CACHE");
        Path cache = cacheEnv != null && !cacheEnv.isEmpty() ? Path.of(cacheEnv) : repo.resolve(".cache");
        Path dir = cache.resolve("guest");
        Process p = new ProcessBuilder(script.toString(), dir.toString()).inheritIO().start();
        if (p.waitFor() != 0) throw new IOException(script + " failed with status " + p.exitValue());
        return dir;
    }

    static Path findRepo() throws IOException {
        String env = System.getenv("PANAMA_VGPU_REPO");
        if (env != null && !env.isEmpty()) return Path.of(env);
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        try {
            starts.add(Path.of(GuestScenario.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (Exception ignored) {
            // no code source
        }
        for (Path s : starts)
            for (Path d = s; d != null; d = d.getParent())
                if (Files.isRegularFile(d.resolve("test-guest/guest/build-initramfs"))) return d;
        throw new IOException("cannot find the panama-vgpu checkout (use --repo or --guest)");
    }
}
