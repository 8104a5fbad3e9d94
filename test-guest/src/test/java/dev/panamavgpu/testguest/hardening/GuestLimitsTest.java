package dev.panamavgpu.testguest.hardening;

import static dev.panamavgpu.testguest.driver.Commands.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.gpu.device.GpuLimits;
import dev.panamavgpu.testguest.driver.Commands;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.driver.Hdr;
import dev.panamavgpu.testguest.driver.Response;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Limits a guest can push that the device tests (device.BadInputTest) do not reach with the
 * default values: resources per device, display size, and requests held for QEMU's answer.
 * The others are tested where they live: backing entries (device.BadInputTest, 16384/16385),
 * descriptor chains and indirect tables (vhost-user BadInputTest), cursor size
 * (device.BadInputTest), host memory (device.HostMemoryBudgetTest, device.MemoryProofTest).
 */
class GuestLimitsTest {

    @Test
    void resourcesPerDevice() throws Exception {
        GpuLimits d = GpuLimits.defaults();
        GpuLimits eight = new GpuLimits(d.maxOutputs(), 8, d.maxBackingEntries(), d.maxResourceDimension(),
                d.defaultWidth(), d.defaultHeight());
        try (Backend backend = new Backend(eight); Vm vm = Vm.connect(backend.path)) {
            for (int id = 1; id <= 8; id++) GpuDriver.expect(RESP_OK_NODATA, vm.gpu.createResource(id, Vm.BGRX, 4, 4), "CREATE_2D " + id);
            assertEquals(RESP_ERR_OUT_OF_MEMORY, vm.gpu.createResource(9, Vm.BGRX, 4, 4).type(), "the 9th resource of 8");
            GpuDriver.expect(RESP_OK_NODATA, vm.gpu.unref(3), "UNREF");
            GpuDriver.expect(RESP_OK_NODATA, vm.gpu.createResource(9, Vm.BGRX, 4, 4), "a freed slot is usable again");
        }
        assertEquals(65536, d.maxResources(), "the default, as documented in docs/security.md");
    }

    @Test
    void displaySizeIsBoundedPerDimension() throws Exception {
        long max = GpuLimits.defaults().maxResourceDimension();
        try (Backend backend = new Backend(); Vm vm = Vm.connect(backend.path)) {
            assertEquals(RESP_ERR_INVALID_PARAMETER, vm.gpu.createResource(1, Vm.BGRX, max + 1, 1).type(), "width " + (max + 1));
            assertEquals(RESP_ERR_INVALID_PARAMETER, vm.gpu.createResource(1, Vm.BGRX, 1, max + 1).type(), "height " + (max + 1));
            GpuDriver.expect(RESP_OK_NODATA, vm.gpu.createResource(1, Vm.BGRX, max, 1), "width " + max + " (within the budget)");
            // a scanout can only show a resource's rectangle, so it inherits the bound
            assertEquals(RESP_ERR_INVALID_PARAMETER, vm.gpu.setScanout(0, 1, 0, 0, max + 1, 16).type());
        }
    }

    @Test
    void requestsHeldForQemuAreBoundedByTheQueueAndAnsweredInTime() throws Exception {
        // 2D fences complete with their command; the only requests a guest can leave outstanding are
        // GET_DISPLAY_INFO and GET_EDID waiting for QEMU: at most one per ring entry, each answered
        // with a fallback after DisplayChannel.REPLY_TIMEOUT_MILLIS.
        try (Backend backend = new Backend(); Vm vm = Vm.connect(backend.path)) {
            vm.peer.pause();
            Hdr fenced = new Hdr(1, 77, 0, 0);
            List<GpuDriver.Ticket> held = new ArrayList<>();
            for (int i = 0; i < 56; i++) held.add(vm.gpu.submit(GpuDriver.CONTROL_QUEUE, Commands.getDisplayInfo(fenced)));
            // GET_EDIDs go to QEMU one at a time (its replies do not say which scanout): n of them wait up to n s
            for (int i = 0; i < 2; i++) held.add(vm.gpu.submit(GpuDriver.CONTROL_QUEUE, Commands.getEdid(fenced, 0)));
            long t0 = System.nanoTime();
            GpuDriver.expect(RESP_OK_NODATA, vm.gpu.createResource(1, Vm.BGRX, 16, 16), "the queue serves past held requests");
            for (GpuDriver.Ticket t : held) {
                Response r = vm.gpu.await(t, 5000);
                assertTrue(r.type() == RESP_OK_DISPLAY_INFO || r.isError(), "held request answered: " + r);
                assertEquals(77, r.fenceId(), "fence echoed");
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms < 4_000, "held requests answered after " + ms + " ms");
            vm.peer.resume();
        }
    }
}
