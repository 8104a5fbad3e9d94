package dev.panamavgpu.qxl;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ivshmem.IvshmemServer;
import dev.panamavgpu.memory.MemoryLimits;
import dev.panamavgpu.memory.MemoryManager;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The QXL transport as the CLI runs it: ivshmem server, QXL device as host peer, optional control socket. */
public final class QxlService implements AutoCloseable {
    /** QEMU's {@code -device ivshmem-doorbell,vectors=2}: kick/IRQ and IO/IO-done. */
    public static final int VECTORS = 2;
    public static final int MAX_PEERS = 8;

    private final IvshmemServer server;
    private final QxlConfig config;
    private final QxlDevice device;
    private final ControlServer control;

    private QxlService(IvshmemServer server, QxlDevice device, ControlServer control, QxlConfig config) {
        this.config = config;
        this.server = server;
        this.device = device;
        this.control = control;
    }

    /** Creates the region and binds the sockets; no thread serves them before {@link #start}. */
    public static QxlService listen(String socket, int mode, long size, String controlSocket, QxlConfig config)
            throws ErrnoException, IOException {
        IvshmemServer server = IvshmemServer.listen(socket, mode, size, VECTORS, MAX_PEERS);
        QxlDevice device;
        ControlServer control = null;
        try {
            device = server.attach(s -> new QxlDevice(s, config));
            if (controlSocket != null) control = ControlServer.bind(device, Path.of(controlSocket));
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return new QxlService(server, device, control, config);
    }

    /** Starts the threads that serve the peers and the control socket. */
    public QxlService start() {
        server.start();
        if (control != null) control.start();
        return this;
    }

    /** The QXL device gets a memory manager of its own (its loop thread owns it), with the same limits as virtio-gpu. */
    public static QxlConfig defaultConfig(MemoryLimits limits) {
        return QxlConfig.defaults(new MemoryManager(limits));
    }

    public IvshmemServer server() { return server; }
    public QxlDevice device() { return device; }

    public boolean awaitStop(long timeout, TimeUnit unit) throws InterruptedException {
        return server.awaitStop(timeout, unit);
    }

    @Override
    public void close() {
        if (control != null) control.close();
        server.close();
        config.memory().close(); // after the loop has ended: no surface is in use
    }
}
