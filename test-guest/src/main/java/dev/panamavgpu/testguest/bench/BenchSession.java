package dev.panamavgpu.testguest.bench;

import dev.panamavgpu.testguest.backend.BackendCommand;
import dev.panamavgpu.testguest.backend.ProcStatus;
import dev.panamavgpu.testguest.backend.RunningBackend;
import dev.panamavgpu.testguest.conformance.GpuRig;
import dev.panamavgpu.testguest.conformance.Setup;
import dev.panamavgpu.testguest.driver.Backing;
import dev.panamavgpu.testguest.driver.Commands;
import dev.panamavgpu.testguest.driver.GpuDriver;
import dev.panamavgpu.testguest.qemu.QemuDisplayPeer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One backend process for benchmarks: started on a fresh socket, QEMU played in front of it with a display end
 * that reads UPDATEs as fast as it can and drops the pixels, and guest RAM large enough for a 4K frame.
 */
public final class BenchSession implements AutoCloseable {
    static final int BGRX = 2;
    private final RunningBackend backend;
    private final GpuRig rig;

    private BenchSession(RunningBackend backend, GpuRig rig) {
        this.backend = backend;
        this.rig = rig;
    }

    public static BenchSession start(BackendCommand command, Path workDir, long ramBytes) throws IOException, InterruptedException {
        RunningBackend b = RunningBackend.start(command, workDir.resolve(command.label() + "-bench.sock"),
                workDir.resolve(command.label() + "-bench.log"), Duration.ofSeconds(10));
        try {
            Setup setup = Setup.display(QemuDisplayPeer.Config.defaults().discardingPixels()).withRam(ramBytes);
            return new BenchSession(b, GpuRig.over(b.connection(), setup, null));
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            b.close();
            throw e;
        }
    }

    public GpuDriver gpu() { return rig.gpu(); }
    public QemuDisplayPeer display() { return rig.peer(); }
    public RunningBackend backend() { return backend; }
    public ProcStatus status() throws IOException { return backend.status(); }

    /** A BGRX resource with a tightly packed backing full of a pattern, transferred once. */
    public Backing resource(long id, int w, int h) throws IOException {
        Backing b = gpu().createWithBacking(id, BGRX, w, h);
        b.fillPixels(w, h, w * 4L, (x, y) -> (x * 5) ^ (y << 8) ^ 0x00406080);
        GpuDriver.expect(Commands.RESP_OK_NODATA, gpu().transfer(id, 0, 0, w, h), "TRANSFER " + id);
        return b;
    }

    /** Shows resource {@code id} (w×h) on scanout 0 and waits until its first UPDATE has arrived. */
    public void show(long id, int w, int h) throws IOException, InterruptedException {
        long before = display().updatesReceived();
        GpuDriver.expect(Commands.RESP_OK_NODATA, gpu().setScanout(0, id, 0, 0, w, h), "SET_SCANOUT " + id);
        display().awaitUpdates(before + 1, 5_000);
    }

    /** Fails if the backend process is gone (a benchmark figure from a dead backend would be meaningless). */
    public void assertAlive(String during) throws IOException {
        if (!backend.isAlive()) {
            throw new IOException(backend.command().label() + " exited with status " + backend.exitCode().orElse(-1)
                    + " during " + during + "; log " + backend.log());
        }
    }

    @Override
    public void close() {
        try {
            rig.close();
        } finally {
            backend.close();
        }
    }
}
