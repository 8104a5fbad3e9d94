package dev.panamavgpu.testguest.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.panamavgpu.input.Evdev;
import dev.panamavgpu.input.InputFigures;
import dev.panamavgpu.input.InputService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real Linux guest under QEMU 10 (TCG) with {@code vhost-user-input-pci} on our input device (served in
 * this JVM, so the test feeds it through {@link dev.panamavgpu.input.InputSink} as the remote display
 * does): the guest's virtio_input driver probes the config space, and the in-guest program inputtest prints
 * every evdev event it reads on the serial console; they must be exactly the ones injected, also after a
 * QMP stop/cont (the rings stop and start again with buffers the device held). Needs what
 * scripts/setup installs; scripts/test runs it.
 */
class InputGuestEndToEndTest {

    @Test
    void keysAndPointerFromTheSinkReachTheGuestsEvdev() throws Exception {
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
        try (InputService input = InputService.listen(inSock.toString(), 0600).start();
             QemuVm vm = QemuVm.start(cfg)) {
            String caps = vm.awaitAny(Duration.ofSeconds(120), "PVGPU-INPUT-CAPS", "PVGPU-FAIL").text();
            assertTrue(caps.contains("PVGPU-INPUT-CAPS key=1 rel=1 abs=1 rep=0 KEY_A=1 BTN_LEFT=1 absx=0..32767 absy=0..32767"),
                    caps + "; serial.log in " + out);
            vm.awaitLine("PVGPU-INPUT-READY", Duration.ofSeconds(30));
            input.key(0xffe1, 0, true);       // Shift_L
            input.key('H', 0, true);
            input.key('H', 0, false);
            input.key(0xffe1, 0, false);
            input.key(0, 0xc8, true);         // QEMU key number of Up (extended key event)
            input.key(0, 0xc8, false);
            input.pointer(0, 640, 400, 1281, 801);
            input.pointer(0x01, 640, 400, 1281, 801);
            input.pointer(0x00, 1280, 0, 1281, 801);
            input.pointer(0x10, 1280, 0, 1281, 801); // wheel down
            vm.awaitLine("PVGPU-EV 2 8 -1", Duration.ofSeconds(30));
            // stop/cont: QEMU stops the rings (the device hands back the buffers it holds) and starts them again
            vm.stop();
            vm.cont();
            input.key('q', 0, true);
            input.key('q', 0, false);
            input.key(0xff1b, 0, true);       // Escape ends inputtest
            input.key(0xff1b, 0, false);
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
                    "3 0 16384", "3 1 16384", syn,
                    "1 " + Evdev.BTN_LEFT + " 1", syn,
                    "3 0 32767", "3 1 0", "1 " + Evdev.BTN_LEFT + " 0", syn,
                    "2 8 -1", syn,
                    "1 16 1", syn, "1 16 0", syn,
                    "1 1 1", syn, "1 1 0");
            assertEquals(want, got, "events the guest read (serial.log in " + out + ")");
            InputFigures f = input.figures();
            assertEquals(0, f.reportsDropped(), f.oneLine());
            assertTrue(f.returnedAtStop() > 0, "the stop handed back held buffers: " + f.oneLine());
        } finally {
            try (var left = Files.list(sockDir)) {
                for (Path p : left.toList()) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(sockDir);
        }
    }
}
