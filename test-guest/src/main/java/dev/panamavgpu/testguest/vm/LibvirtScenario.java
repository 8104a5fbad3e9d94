package dev.panamavgpu.testguest.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The test guest as a libvirt domain (qemu:///system) whose video device is {@code <driver name='vhostuser'/>}:
 * libvirt picks the GPU backend from the descriptors in /usr/share/qemu/vhost-user/ and starts it itself
 * (as libvirt-qemu, {@code --fd=N}). Drives the domain as an operator would, with virsh, and compares
 * {@code virsh screenshot} PNGs with {@link Patterns} exactly, as {@link GuestScenario} does with QMP:
 * <ol>
 *   <li>{@code start}: {@code virsh start --paused}, connect the serial socket, {@code virsh resume}; the
 *   backend process runs from {@code backendPrefix} as {@code backendUser} with {@code --fd=};</li>
 *   <li>{@code fbcon}, {@code A}; {@code A-suspended}, {@code A-resumed} ({@code virsh suspend/resume});
 *   {@code B} (page flip), {@code C} (DIRTYFB), {@code D} (cursor; the screen still shows C), {@code done};</li>
 *   <li>{@code reboot-fbcon}, {@code reboot-A}: the guest reboots itself (sysrq b);</li>
 *   <li>{@code reset-fbcon}, {@code reset-A}: {@code virsh reset};</li>
 *   <li>{@code destroy}: {@code virsh destroy}; no backend process and no pidfile or socket of it left;</li>
 *   <li>{@code again-fbcon}, {@code again-A}: {@code virsh start} once more, then destroy.</li>
 * </ol>
 * Kernel and initramfs are copied into {@code workDir}, which must be readable by the QEMU user. Logs:
 * virsh.log, serial.log, domain.xml, result.txt and the screenshots in {@code outDir}.
 */
public final class LibvirtScenario {
    public record Options(String domain, Path kernel, Path initrd, Path workDir, Path outDir, String backendPrefix,
                          String backendUser, Duration bootTimeout, Duration stepTimeout, Duration settleTimeout) {}

    private static final String[] STEPS = {"start", "fbcon", "A", "A-suspended", "A-resumed", "B", "C", "D", "done",
            "reboot-fbcon", "reboot-A", "reset-fbcon", "reset-A", "destroy", "again-fbcon", "again-A", "again-destroy"};
    private static final Pattern MODE = Pattern.compile("PVGPU-MODE (\\d+)x(\\d+)");

    private final Options o;
    private final Virsh virsh;
    private final List<GuestScenario.StepResult> steps = new ArrayList<>();
    private SerialSocket serial;
    private int width = 1280, height = 800;

    private LibvirtScenario(Options o) {
        this.o = o;
        this.virsh = new Virsh("qemu:///system", o.outDir().resolve("virsh.log"));
    }

    /** Runs the scenario; the domain is destroyed and undefined at the end whatever happened. */
    public static GuestScenario.Result run(Options o) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(o.outDir());
        try (Stream<Path> old = Files.list(o.outDir())) {
            for (Path p : old.filter(p -> p.toString().endsWith(".png") || p.toString().endsWith(".log")).toList()) Files.delete(p);
        }
        return new LibvirtScenario(o).runInternal();
    }

    private GuestScenario.Result runInternal() throws IOException {
        Path xml = o.outDir().resolve("domain.xml");
        Files.writeString(xml, domainXml(), StandardCharsets.UTF_8);
        virsh.tryRun("destroy", o.domain());   // a domain of an interrupted earlier run
        virsh.tryRun("undefine", o.domain());
        String end;
        try {
            virsh.run("define", xml.toString());
            scenario();
            end = "domain state at end: " + virsh.run("domstate", o.domain()).strip();
        } catch (IOException e) {
            steps.add(new GuestScenario.StepResult("harness", false, -1, null, 0, "error: " + e.getMessage()));
            end = "harness error";
        } finally {
            if (serial != null) serial.close();
            virsh.tryRun("destroy", o.domain());
            virsh.tryRun("undefine", o.domain());
        }
        for (String n : STEPS)
            if (steps.stream().noneMatch(s -> s.name().equals(n)))
                steps.add(new GuestScenario.StepResult(n, false, -1, null, 0, "not run (an earlier step failed)"));
        List<String> order = List.of(STEPS);
        steps.sort((a, b) -> Integer.compare(idx(order, a.name()), idx(order, b.name())));
        GuestScenario.Result r = new GuestScenario.Result(List.of("libvirt: " + o.backendPrefix()), List.copyOf(steps),
                o.outDir(), o.outDir().resolve("serial.log"), List.of("virsh", "-c", "qemu:///system", "start", o.domain()), end);
        Files.writeString(o.outDir().resolve("result.txt"), r.summary(), StandardCharsets.UTF_8);
        return r;
    }

    private static int idx(List<String> order, String n) {
        int k = order.indexOf(n);
        return k < 0 ? order.size() : k;
    }

    String domainXml() {
        return """
                <domain type='qemu'>
                  <name>%s</name>
                  <memory unit='MiB'>512</memory>
                  <vcpu>1</vcpu>
                  <memoryBacking>
                    <source type='memfd'/>
                    <access mode='shared'/>
                  </memoryBacking>
                  <os>
                    <type arch='x86_64' machine='q35'>hvm</type>
                    <kernel>%s</kernel>
                    <initrd>%s</initrd>
                    <cmdline>%s</cmdline>
                  </os>
                  <on_reboot>restart</on_reboot>
                  <devices>
                    <emulator>/usr/bin/qemu-system-x86_64</emulator>
                    <controller type='usb' model='none'/>
                    <serial type='unix'>
                      <source mode='bind' path='%s'/>
                      <log file='%s' append='off'/>
                    </serial>
                    <video>
                      <driver name='vhostuser'/>
                      <model type='virtio' heads='1'/>
                    </video>
                    <memballoon model='none'/>
                  </devices>
                </domain>
                """.formatted(o.domain(), o.kernel(), o.initrd(), QemuVm.Config.DEFAULT_APPEND, serialPath(),
                o.workDir().resolve("console.log"));
    }

    private Path serialPath() { return o.workDir().resolve("serial.sock"); }

    private void scenario() throws IOException {
        if (!start("start")) return;
        long t0 = System.nanoTime();
        if (!bootToA("fbcon", "A", t0)) return;
        long t1 = System.nanoTime();
        virsh.run("suspend", o.domain());
        steps.add(compare("A-suspended", Patterns.Pattern.A, t1, "state " + virsh.run("domstate", o.domain()).strip()));
        long t2 = System.nanoTime();
        virsh.run("resume", o.domain());
        sleep(1000); // let a backend that reacts to the resumed device do so
        steps.add(compare("A-resumed", Patterns.Pattern.A, t2, "state " + virsh.run("domstate", o.domain()).strip()));
        if (!(guestStep("B", Patterns.Pattern.B) && guestStep("C", Patterns.Pattern.C) && guestStep("D", Patterns.Pattern.C))) return;
        long t3 = System.nanoTime();
        serial.sendLine("next");
        if (!mark("done", "PVGPU-DONE", o.stepTimeout(), t3)) return;
        steps.add(new GuestScenario.StepResult("done", true, -1, null, ms(t3), "drmtest exited 0"));

        // the guest reboots itself: init answers "reboot" with sysrq b
        long t4 = System.nanoTime();
        try {
            serial.awaitAny(o.stepTimeout(), "PVGPU-EXIT"); // init's line after drmtest; then it reads commands
        } catch (TimeoutException e) {
            steps.add(new GuestScenario.StepResult("reboot-fbcon", false, -1, null, ms(t4), e.getMessage()));
            return;
        }
        serial.sendLine("reboot");
        if (!mark("reboot-fbcon", "PVGPU-REBOOT", o.stepTimeout(), t4)) return;
        if (!bootToA("reboot-fbcon", "reboot-A", t4)) return;

        long t5 = System.nanoTime();
        serial.skipExistingLines();
        virsh.run("reset", o.domain());
        if (!bootToA("reset-fbcon", "reset-A", t5)) return;

        if (!destroy("destroy")) return;
        if (!start("again-fbcon")) return;
        long t6 = System.nanoTime();
        if (!bootToA("again-fbcon", "again-A", t6)) return;
        destroy("again-destroy");
    }

    /** Starts paused, connects the serial console, resumes; checks the backend libvirt started. */
    private boolean start(String name) throws IOException {
        long t0 = System.nanoTime();
        if (serial != null) serial.close();
        virsh.run("start", "--paused", o.domain());
        serial = SerialSocket.connect(serialPath(), o.outDir().resolve("serial.log"), Duration.ofSeconds(30));
        virsh.run("resume", o.domain());
        List<BackendProbe.Found> ours = BackendProbe.find(o.backendPrefix());
        String problem = BackendProbe.check(ours, o.backendUser());
        if (name.equals("start") || problem != null)
            steps.add(new GuestScenario.StepResult(name, problem == null, -1, null, ms(t0),
                    problem != null ? problem : "virsh start " + ms(t0) + " ms; backend " + ours.getFirst().describe()));
        return problem == null;
    }

    private boolean destroy(String name) throws IOException {
        long t0 = System.nanoTime();
        List<BackendProbe.Found> before = BackendProbe.find(o.backendPrefix());
        serial.close();
        serial = null;
        virsh.run("destroy", o.domain());
        // the backend exits when QEMU's end of the socket closes: give it a moment
        List<BackendProbe.Found> left;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        do {
            left = BackendProbe.find(o.backendPrefix());
            if (left.isEmpty()) break;
            sleep(100);
        } while (System.nanoTime() < deadline);
        List<Path> files = BackendProbe.runFiles(o.domain());
        boolean ok = !before.isEmpty() && left.isEmpty() && files.isEmpty();
        steps.add(new GuestScenario.StepResult(name, ok, -1, null, ms(t0), String.format(Locale.ROOT,
                "backend processes before %d, after %d%s; files of the domain under /run/libvirt/qemu: %s",
                before.size(), left.size(), left.isEmpty() ? "" : " " + left, files.isEmpty() ? "none" : files)));
        return ok;
    }

    private boolean bootToA(String fbconName, String aName, long t0) throws IOException {
        if (!fbcon(fbconName, t0)) return false;
        if (!mode(aName, t0)) return false;
        if (!mark(aName, "PVGPU-MARK A", o.bootTimeout(), t0)) return false;
        steps.add(compare(aName, Patterns.Pattern.A, t0, "boot to mark A " + ms(t0) + " ms"));
        return steps.getLast().passed();
    }

    /** The guest's banner on fbcon: text, not comparable pixel for pixel (see FbconShot). */
    private boolean fbcon(String name, long t0) throws IOException {
        if (!mark(name, "PVGPU-FBCON", o.bootTimeout(), t0)) return false;
        Path shot = o.outDir().resolve(name + ".png");
        FbconShot f = FbconShot.take(p -> { screenshot(p); return null; }, shot, o.settleTimeout());
        steps.add(new GuestScenario.StepResult(name, f.ok(), -1, shot, ms(t0), f.describe()));
        serial.sendLine("go");
        return f.ok();
    }

    private boolean mode(String name, long t0) throws IOException {
        try {
            String l = serial.awaitAny(o.bootTimeout(), "PVGPU-MODE", "PVGPU-FAIL");
            Matcher m = MODE.matcher(l);
            if (m.find()) {
                width = Integer.parseInt(m.group(1));
                height = Integer.parseInt(m.group(2));
                return true;
            }
            steps.add(new GuestScenario.StepResult(name, false, -1, null, ms(t0), "guest: " + l.trim()));
        } catch (TimeoutException e) {
            steps.add(new GuestScenario.StepResult(name, false, -1, null, ms(t0), e.getMessage()));
        }
        return false;
    }

    private boolean mark(String name, String marker, Duration timeout, long t0) throws IOException {
        try {
            String l = serial.awaitAny(timeout, marker, "PVGPU-FAIL", "PVGPU-EXIT");
            if (l.contains(marker)) return true;
            steps.add(new GuestScenario.StepResult(name, false, -1, null, ms(t0), "guest: " + l.trim()));
        } catch (TimeoutException e) {
            steps.add(new GuestScenario.StepResult(name, false, -1, null, ms(t0), e.getMessage() + "; " + backendNote()));
        }
        return false;
    }

    private String backendNote() {
        return "backend processes now: " + BackendProbe.find(o.backendPrefix()).size();
    }

    private boolean guestStep(String name, Patterns.Pattern expected) throws IOException {
        long t = System.nanoTime();
        serial.sendLine("next");
        if (!mark(name, "PVGPU-MARK " + name, o.stepTimeout(), t)) return false;
        steps.add(compare(name, expected, t, "mark after " + ms(t) + " ms"));
        return steps.getLast().passed();
    }

    private GuestScenario.StepResult compare(String name, Patterns.Pattern pattern, long t0, String detail) throws IOException {
        Path shot = o.outDir().resolve(name + ".png");
        int[] expected = Patterns.render(pattern, width, height);
        ScreenDiff.Settled settled = ScreenDiff.settle(p -> { screenshot(p); return null; }, shot, expected, width, height,
                o.settleTimeout());
        ScreenDiff d = settled.diff();
        String det = detail + "; expected " + pattern + "; " + settled.attempts() + " screenshot(s)";
        if (d.count() != 0) {
            det += "; " + d.describe() + "; " + backendNote();
            ScreenDiff.writePng(o.outDir().resolve(name + ".expected.png"), expected, width, height);
        }
        return new GuestScenario.StepResult(name, d.count() == 0, d.count(), shot, ms(t0), det);
    }

    /** {@code virsh screenshot}: PNG data from QEMU's screendump, whatever the file name says. */
    private void screenshot(Path file) throws IOException {
        Files.deleteIfExists(file);
        virsh.run("screenshot", o.domain(), file.toString(), "--screen", "0");
    }

    private static long ms(long t0) { return (System.nanoTime() - t0) / 1_000_000; }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
