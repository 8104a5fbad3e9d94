package dev.panamavgpu.testguest.qxl;

import dev.panamavgpu.ivshmem.IvshmemServer;
import dev.panamavgpu.memory.MemoryLimits;
import dev.panamavgpu.memory.MemoryManager;
import dev.panamavgpu.qxl.ControlServer;
import dev.panamavgpu.qxl.QxlConfig;
import dev.panamavgpu.qxl.QxlDevice;
import dev.panamavgpu.qxl.QxlStats;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Our ivshmem server and QXL device in this JVM on a temporary socket, and the Java guest joined to it. */
final class QxlRig implements AutoCloseable {
    private static final AtomicInteger SEQ = new AtomicInteger();
    final String path = "/tmp/pvgpu-qxl-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet() + ".sock";
    final IvshmemServer server;
    final QxlDevice device;
    final MemoryManager memory;
    final QxlGuest guest;
    ControlServer control;

    private QxlRig(QxlConfig config, long size) throws Exception {
        memory = config.memory();
        server = IvshmemServer.listen(path, 0600, size, 2, 8);
        device = server.attach(s -> new QxlDevice(s, config));
        server.start();
        QxlGuest g = null;
        try {
            g = QxlGuest.connect(path);
            g.setup();
        } catch (Exception e) {
            if (g != null) g.close();
            server.close();
            throw e;
        }
        guest = g;
    }

    static QxlRig start() throws Exception {
        return new QxlRig(config(64 << 20), 16 << 20);
    }

    static QxlRig start(QxlConfig config) throws Exception {
        return new QxlRig(config, 16 << 20);
    }

    static QxlConfig config(long budgetBytes) {
        return QxlConfig.defaults(new MemoryManager(new MemoryLimits(budgetBytes, budgetBytes, Path.of("/var/tmp"))));
    }

    /** Host bytes charged for surfaces, read after a round trip through the device's loop (which owns them). */
    long charged() throws Exception {
        stats();
        return memory.figures().total();
    }

    Path controlSocket() throws Exception {
        Path p = Path.of(path + ".ctl");
        control = ControlServer.listen(device, p);
        return p;
    }

    QxlStats stats() throws Exception {
        return device.stats().get(5, TimeUnit.SECONDS);
    }

    /** Kicks and waits until the host has consumed both rings (cons caught up with prod). */
    void settle() throws Exception {
        guest.kick();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!ringsEmpty()) {
            if (System.nanoTime() > end) throw new AssertionError("rings not consumed");
            Thread.sleep(1);
        }
        stats(); // a round trip through the loop: the burst that emptied the rings has finished
    }

    private boolean ringsEmpty() {
        var s = guest.shm;
        long cmd = QxlGuest.RAM + QxlGuest.CMD_RING, cur = QxlGuest.RAM + QxlGuest.CURSOR_RING;
        return (int) QxlGuest.A32.getAcquire(s, cmd + QxlGuest.R_PROD) == (int) QxlGuest.A32.getAcquire(s, cmd + QxlGuest.R_CONS)
                && (int) QxlGuest.A32.getAcquire(s, cur + QxlGuest.R_PROD) == (int) QxlGuest.A32.getAcquire(s, cur + QxlGuest.R_CONS);
    }

    @Override
    public void close() {
        if (control != null) control.close();
        guest.close();
        server.close();
        memory.close();
    }
}
