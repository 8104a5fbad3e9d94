package dev.panamavgpu.testguest.hardening;

import static dev.panamavgpu.testguest.driver.Commands.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.gpu.display.DisplayChannel;
import dev.panamavgpu.testguest.driver.Commands;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.driver.Hdr;
import dev.panamavgpu.testguest.qemu.DisplayEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * While QEMU does not read the GPU socket, what the guest makes the back-end queue for it stays
 * bounded: cursor images and moves are merged, and past {@link DisplayChannel#MAX_QUEUED_CONTROL_BYTES}
 * of control messages the socket is dropped rather than host memory grown.
 */
class DisplayQueueBoundsTest {

    /** Submits {@code requests} keeping the queue full, and checks every answer is OK_NODATA. */
    private static void pipeline(GpuDriver gpu, int queue, List<byte[]> requests) throws Exception {
        List<GpuDriver.Ticket> inFlight = new ArrayList<>();
        for (byte[] r : requests) {
            inFlight.add(gpu.submit(queue, r));
            if (inFlight.size() == 12) {
                for (GpuDriver.Ticket t : inFlight) GpuDriver.expect(RESP_OK_NODATA, gpu.await(t), "pipelined command");
                inFlight.clear();
            }
        }
        for (GpuDriver.Ticket t : inFlight) GpuDriver.expect(RESP_OK_NODATA, gpu.await(t), "pipelined command");
    }

    @Test
    void cursorUpdatesAndMovesWhileQemuDoesNotReadAreMerged() throws Exception {
        try (Backend backend = new Backend(); Vm vm = Vm.connect(backend.path)) {
            vm.drawAndShow(1, 64, 48, 1);
            GpuDriver.expect(RESP_OK_NODATA, vm.gpu.createResource(2, Vm.BGRX, 64, 64), "cursor CREATE_2D");
            long heap = ProcessResources.heapAfterGc();
            vm.peer.pause();
            List<byte[]> cmds = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                cmds.add(Commands.updateCursor(Hdr.NONE, 0, i % 64, 1, 2, 0, 0));
                cmds.add(Commands.moveCursor(Hdr.NONE, 0, i % 64, 2, 2));
            }
            pipeline(vm.gpu, GpuDriver.CURSOR_QUEUE, cmds);
            long grown = ProcessResources.heapAfterGc() - heap;
            // unmerged, 3000 images of 16 KiB would wait: 48 MiB
            assertTrue(grown < (8 << 20), "heap grew by " + grown + " bytes while QEMU did not read");
            int mark = vm.peer.mark();
            vm.peer.resume();
            DisplayEvent last = vm.peer.awaitAfter(mark, e -> e instanceof DisplayEvent.CursorPos p && p.x() == 2999 % 64 && p.y() == 2
                    || e instanceof DisplayEvent.CursorUpdate u && u.x() == 2999 % 64 && u.y() == 2, 5000);
            assertNotNull(last, "QEMU ends with the cursor where the guest put it last: " + vm.peer.eventsSince(mark));
            assertFalse(vm.peer.isEof(), "merging needs no disconnect");
        }
    }

    @Test
    void controlMessagesBeyondTheBoundDropTheGpuSocketNotTheGuest() throws Exception {
        try (Backend backend = new Backend(); Vm vm = Vm.connect(backend.path)) {
            GpuDriver.expect(RESP_OK_NODATA, vm.gpu.createResource(1, Vm.BGRX, 64, 64), "CREATE_2D");
            vm.peer.pause();
            // every size change of a scanout is a 24-byte SCANOUT message for QEMU; the kernel's socket
            // buffer (DisplayChannel asks for 4 MiB) takes the first few thousand, so send three times the bound
            int n = 3 * DisplayChannel.MAX_QUEUED_CONTROL_BYTES / 24;
            List<byte[]> cmds = new ArrayList<>();
            for (int i = 0; i < n; i++) cmds.add(Commands.setScanout(Hdr.NONE, 0, 1, 0, 0, 16 + (i & 31), 16));
            pipeline(vm.gpu, GpuDriver.CONTROL_QUEUE, cmds);
            vm.peer.resume();
            assertTrue(vm.peer.awaitEof(5_000), "the GPU socket of a QEMU that does not read is dropped at the bound");
            vm.attachPeer(); // QEMU's next GPU socket works as usual
            vm.drawAndShow(3, 32, 32, 5);
        }
    }
}
