package dev.panamavgpu.testguest.hardening;

/**
 * A front-end in a process of its own, to be killed: connects to the back-end at {@code args[0]},
 * shows a picture, says "drawing" on stdout, then keeps transferring and flushing until killed.
 */
public final class FrontendProcess {
    private FrontendProcess() {}

    public static void main(String[] args) throws Exception {
        Vm vm = Vm.connect(args[0]);
        vm.drawAndShow(1, 256, 128, 1);
        System.out.println("drawing");
        System.out.flush();
        for (int salt = 2; ; salt++) {
            vm.gpu.submitTransfer(1, 0, 0, 256, 128);
            vm.gpu.submitFlush(1, 0, 0, 256, 128);
            vm.gpu.poll(dev.panamavgpu.testguest.driver.GpuDriver.CONTROL_QUEUE, 1);
        }
    }
}
