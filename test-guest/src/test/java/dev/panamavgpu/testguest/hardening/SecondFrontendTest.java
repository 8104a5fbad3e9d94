package dev.panamavgpu.testguest.hardening;

import static dev.panamavgpu.testguest.driver.Commands.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.vhostuser.frontend.FrontendConnection;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** A second front-end connecting while a VM runs is refused, and the VM does not notice. */
class SecondFrontendTest {
    @Test
    void aSecondFrontendIsRefusedWithoutDisturbingTheRunningVm() throws Exception {
        try (Backend backend = new Backend(); Vm vm = Vm.connect(backend.path)) {
            vm.drawAndShow(1, 64, 48, 1);
            for (int i = 0; i < 5; i++) {
                try (FrontendConnection intruder = FrontendConnection.connect(backend.path)) {
                    intruder.setReplyTimeoutMillis(2_000);
                    assertThrows(IOException.class, intruder::getFeatures, "the second front-end gets no answer but a closed socket");
                }
            }
            assertEquals(5, backend.server.connectionsRefused());
            // the VM goes on: same device, same resources, same GPU socket
            assertEquals(RESP_ERR_INVALID_RESOURCE_ID, vm.gpu.createResource(1, Vm.BGRX, 8, 8).type(), "resource 1 still exists");
            vm.drawAndShow(2, 32, 32, 2);
            assertFalse(vm.peer.isEof());
            GpuDriver.expect(RESP_OK_NODATA, vm.gpu.unref(1), "UNREF");
        }
    }
}
