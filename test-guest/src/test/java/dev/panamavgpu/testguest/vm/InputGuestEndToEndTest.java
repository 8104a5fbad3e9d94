package dev.panamavgpu.testguest.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamavgpu.input.Evdev;
import dev.panamavgpu.input.InputFigures;
import dev.panamavgpu.input.InputService;
import dev.panamavgpu.testguest.vncbench.RfbViewer;
import dev.panamavgpu.vhostuser.loop.EventLoop;
import dev.panamavgpu.vnc.ScreenHub;
import dev.panamavgpu.vnc.VncAddress;
import dev.panamavgpu.vnc.VncConfig;
import dev.panamavgpu.vnc.VncServer;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real Linux guest under QEMU 10 (TCG) with {@code vhost-user-input-pci} on our input device, served in
 * this JVM behind our VNC server: an RFB viewer (the project's {@link RfbViewer}) sends key, QEMU extended
 * key and pointer events, the VNC server hands them to the input device as it does in the backend, the
 * guest's virtio_input driver probes the config space, and the in-guest program inputtest prints every
 * evdev event it reads on the serial console; they must be exactly the ones the viewer sent, also after a
 * QMP stop/cont (the rings stop and start again with buffers the device held). Needs what
 * scripts/setup installs; scripts/test runs it.
 */
class InputGuestEndToEndTest {

    @Test
    void keysAndPointerFromAVncViewerReachTheGuestsEvdev() throws Exception {
        Path repo = Path.of("").toAbsolutePath().getParent();
        Path out = Path.of("target", "e2e-input").toAbsolutePath();
        Path guest = Path.of("target", "e2e", "guest").toAbsolutePath(); // shared with GuestEndToEndTest
        Files.createDirectories(out);
        Process build = new ProcessBuilder(repo.resolve("test-guest/guest/build-initramfs").toString(), guest.toString())
                .inheritIO().start();
        assertTrue(build.waitFor(600, TimeUnit.SECONDS) && build.exitValue() == 0, "building the test guest");
        Path sockDir = Files.createTempDirectory(Path.of("/tmp"), "pvgpu-in-"); // sun_path has 108 bytes
        Path inSock = sockDir.resolve("in.sock");
        QemuVm.Config cfg = new QemuVm.Config("qemu-system-x86_64", guest.resolve("vmlinuz"), guest.resolve("initramfs.cpio.gz"),
                QemuVm.Config.DEFAULT_APPEND + " pvgpu.test=input", null, sockDir.resolve("qmp.sock"), out, "256M",
                List.of("-chardev", "socket,id=in0,path=" + inSock, "-device", "vhost-user-input-pci,chardev=in0"));
        EventLoop loop = new EventLoop(); // the hub's loop: no GPU here, the viewer sees a blank 640x480 screen
        Thread loopThread = Thread.ofPlatform().name("vnc-hub-loop").start(loop::run);
        ScreenHub hub = new ScreenHub(loop, 0, VncConfig.DEFAULT_MAX_COPY);
        VncConfig vncConfig = VncConfig.of(new VncAddress.Unix(sockDir.resolve("vnc.sock")), null, true);
        try (InputService input = InputService.listen(inSock.toString(), 0600).start();
             VncServer vnc = VncServer.bind(vncConfig, hub, input);
             QemuVm vm = QemuVm.start(cfg)) {
            vnc.start();
            RfbViewer viewer = RfbViewer.connect(UnixDomainSocketAddress.of(sockDir.resolve("vnc.sock"))).handshake(8, null);
            viewer.setEncodings(RfbViewer.RAW, RfbViewer.QEMU_EXTENDED_KEY);
            assertEquals(640, viewer.width(), "the hub's blank screen, what pointer positions scale over");
            String caps = vm.awaitAny(Duration.ofSeconds(120), "PVGPU-INPUT-CAPS", "PVGPU-FAIL").text();
            assertTrue(caps.contains("PVGPU-INPUT-CAPS key=1 rel=1 abs=1 rep=0 KEY_A=1 BTN_LEFT=1 absx=0..32767 absy=0..32767"),
                    caps + "; serial.log in " + out);
            vm.awaitLine("PVGPU-INPUT-READY", Duration.ofSeconds(30));
            viewer.key(true, 0xffe1);          // Shift_L
            viewer.key(true, 'H');
            viewer.key(false, 'H');
            viewer.key(false, 0xffe1);
            viewer.qemuKey(true, 0, 0xc8);     // QEMU key number of Up (extended key event)
            viewer.qemuKey(false, 0, 0xc8);
            viewer.pointer(0, 639, 479);       // the last pixel: ABS_MAX on both axes
            viewer.pointer(0x01, 639, 479);
            viewer.pointer(0x00, 0, 0);
            viewer.pointer(0x10, 0, 0);        // wheel down: a press ...
            viewer.pointer(0x00, 0, 0);        // ... and its release
            vm.awaitLine("PVGPU-EV 2 8 -1", Duration.ofSeconds(30));
            // stop/cont: QEMU stops the rings (the device hands back the buffers it holds) and starts them again
            vm.stop();
            vm.cont();
            viewer.key(true, 'q');
            viewer.key(false, 'q');
            viewer.key(true, 0xff1b);          // Escape ends inputtest
            viewer.key(false, 0xff1b);
            String done = vm.awaitAny(Duration.ofSeconds(30), "PVGPU-INPUT-DONE", "PVGPU-FAIL").text();
            assertTrue(done.contains("PVGPU-INPUT-DONE"), done);
            List<String> got = new ArrayList<>();
            for (QemuVm.SerialLine l : vm.lines()) {
                int at = l.text().indexOf("PVGPU-EV ");
                if (at >= 0) got.add(l.text().substring(at + "PVGPU-EV ".length()));
            }
            String syn = "0 0 0";
            List<String> want = List.of(
                    "1 42 1", syn, "1 35 1", syn, "1 35 0", syn, "1 42 0", syn,
                    "1 103 1", syn, "1 103 0", syn,
                    "3 0 32767", "3 1 32767", syn,
                    "1 " + Evdev.BTN_LEFT + " 1", syn,
                    "3 0 0", "3 1 0", "1 " + Evdev.BTN_LEFT + " 0", syn,
                    "2 8 -1", syn,
                    "1 16 1", syn, "1 16 0", syn,
                    "1 1 1", syn, "1 1 0");
            assertEquals(want, got, "events the guest read (serial.log in " + out + ")");
            InputFigures f = input.figures();
            assertEquals(0, f.reportsDropped(), f.oneLine());
            assertTrue(f.returnedAtStop() > 0, "the stop handed back held buffers: " + f.oneLine());
            viewer.close();
        } finally {
            loop.stop();
            loopThread.join(5000);
            loop.close();
            try (var left = Files.list(sockDir)) {
                for (Path p : left.toList()) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(sockDir);
        }
    }
}
