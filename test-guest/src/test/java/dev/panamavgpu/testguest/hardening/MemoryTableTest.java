package dev.panamavgpu.testguest.hardening;

import static dev.panamavgpu.testguest.driver.Commands.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.testguest.driver.Commands;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.driver.Response;
import dev.panamavgpu.vhostuser.frontend.FrontendConnection;
import dev.panamavgpu.vhostuser.frontend.GuestRam;
import dev.panamavgpu.vhostuser.memory.RegionSpec;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The front-end replaces the memory table while resources have their backing in the memory that
 * goes: the back-end unmaps it, later use of the backing answers an error (it never touches the
 * unmapped memory, which would crash the JVM), and the backing works again when the memory is back.
 */
class MemoryTableTest {
    static final long EXTRA_GPA = 0x2_0000_0000L, EXTRA_SIZE = 1 << 20;

    private static void fill(GuestRam ram, byte v) { ram.memory().fill(v); }

    @Test
    void regionRemovedWithRemMemRegUnderABacking() throws Exception {
        try (Backend backend = new Backend(); Vm vm = Vm.connect(backend.path); GuestRam extra = new GuestRam(EXTRA_GPA, EXTRA_SIZE)) {
            FrontendConnection c = vm.session.connection();
            c.addMemReg(extra.region(), extra.fd().get());
            assertEquals(2, ProcessResources.mappingsOf(extra.fd().get()), "mapped here (front-end) and by the back-end");
            showFromExtra(vm, extra);

            c.remMemReg(extra.region());
            assertEquals(1, ProcessResources.mappingsOf(extra.fd().get()), "the back-end unmapped the removed region");
            assertEquals(RESP_ERR_UNSPEC, vm.gpu.transfer(5, 0, 0, 64, 64).type(), "transfer from a backing in removed memory");
            GpuDriver.expect(RESP_OK_NODATA, vm.gpu.createResource(6, Vm.BGRX, 16, 16), "CREATE_2D");
            assertEquals(RESP_ERR_UNSPEC, vm.gpu.attachBacking(6, List.of(new Commands.MemEntry(EXTRA_GPA, 4096))).type(),
                    "attach in removed memory");
            // what does not need the guest's memory still works: the host copy is shown, the device serves
            GpuDriver.expect(RESP_OK_NODATA, vm.gpu.flush(5, 0, 0, 64, 64), "FLUSH of the host copy");
            vm.drawAndShow(7, 32, 32, 3);

            c.addMemReg(extra.region(), extra.fd().get()); // the memory comes back: the same backing resolves again
            fill(extra, (byte) 0x33);
            GpuDriver.expect(RESP_OK_NODATA, vm.gpu.transfer(5, 0, 0, 64, 64), "TRANSFER after the region is back");
            GpuDriver.expect(RESP_OK_NODATA, vm.gpu.unref(5), "UNREF");
        }
    }

    @Test
    void memTableReplacedWithoutTheBackingRegion() throws Exception {
        try (Backend backend = new Backend(); Vm vm = Vm.connect(backend.path); GuestRam extra = new GuestRam(EXTRA_GPA, EXTRA_SIZE)) {
            FrontendConnection c = vm.session.connection();
            c.setMemTable(new RegionSpec[] {vm.session.ram().region(), extra.region()}, new int[] {vm.session.ram().fd().get(), extra.fd().get()});
            showFromExtra(vm, extra);
            c.setMemTable(new RegionSpec[] {vm.session.ram().region()}, new int[] {vm.session.ram().fd().get()});
            assertEquals(1, ProcessResources.mappingsOf(extra.fd().get()), "the back-end unmapped the region the new table lacks");
            assertEquals(RESP_ERR_UNSPEC, vm.gpu.transfer(5, 0, 0, 64, 64).type());
            vm.drawAndShow(7, 32, 32, 3); // rings and RAM of the new table work
        }
    }

    @Test
    void regionFdShorterThanTheRegionIsRefusedWithAnErrorReply() throws Exception {
        try (Backend backend = new Backend(); Vm vm = Vm.connect(backend.path); GuestRam extra = new GuestRam(EXTRA_GPA, EXTRA_SIZE)) {
            FrontendConnection c = vm.session.connection();
            RegionSpec claim = new RegionSpec(EXTRA_GPA, 2 * EXTRA_SIZE, extra.memory().address(), 0);
            IOException add = assertThrows(IOException.class, () -> c.addMemReg(claim, extra.fd().get()));
            assertTrue(add.getMessage().contains("ack"), add.getMessage());
            IOException table = assertThrows(IOException.class, () -> c.setMemTable(new RegionSpec[] {vm.session.ram().region(), claim},
                    new int[] {vm.session.ram().fd().get(), extra.fd().get()}));
            assertTrue(table.getMessage().contains("ack"), table.getMessage());
            assertEquals(1, ProcessResources.mappingsOf(extra.fd().get()), "nothing of the short fd stays mapped");
            vm.drawAndShow(7, 32, 32, 3); // the old table is still in force
        }
    }

    /** Resource 5 (64x64) backed in {@code extra}, transferred and shown. */
    private static void showFromExtra(Vm vm, GuestRam extra) throws Exception {
        fill(extra, (byte) 0x22);
        GpuDriver.expect(RESP_OK_NODATA, vm.gpu.createResource(5, Vm.BGRX, 64, 64), "CREATE_2D");
        Response a = vm.gpu.attachBacking(5, List.of(new Commands.MemEntry(EXTRA_GPA, 8192), new Commands.MemEntry(EXTRA_GPA + 65536, 8192)));
        GpuDriver.expect(RESP_OK_NODATA, a, "ATTACH_BACKING in the extra region");
        GpuDriver.expect(RESP_OK_NODATA, vm.gpu.transfer(5, 0, 0, 64, 64), "TRANSFER");
        GpuDriver.expect(RESP_OK_NODATA, vm.gpu.setScanout(0, 5, 0, 0, 64, 64), "SET_SCANOUT");
        assertNotNull(vm.peer.awaitFramebuffer(0, f -> f.width() == 64 && (f.pixel(10, 10) & 0xffffff) == 0x222222, 5000));
    }
}
