package dev.panamavgpu.bench;

import dev.panamavgpu.vhostuser.frontend.DriverQueue;
import dev.panamavgpu.vhostuser.frontend.GuestRam;
import dev.panamavgpu.vhostuser.memory.GuestMemory;
import dev.panamavgpu.vhostuser.memory.MappedRegion;
import dev.panamavgpu.vhostuser.virtqueue.DescriptorChain;
import dev.panamavgpu.vhostuser.virtqueue.Ring;
import dev.panamavgpu.vhostuser.virtqueue.SplitQueue;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The device side of one control-queue command: pop a chain from the avail ring (descriptor walk, address
 * translation into mapped guest memory), add the used entry and publish it. The driver side re-offers the same
 * chain each time, so only the ring and descriptor work is measured.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class DescriptorChainBench {
    /** direct: request + response descriptors in the ring; indirect: both in an indirect table. */
    @Param({"direct", "indirect"})
    public String layout;

    private GuestRam ram;
    private MappedRegion region;
    private DriverQueue driver;
    private SplitQueue device;
    private int head;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ram = new GuestRam(0x1_0000_0000L, 16L << 20);
        driver = new DriverQueue(ram, 256);
        region = MappedRegion.map(ram.region(), ram.fd());
        GuestMemory memory = GuestMemory.of(List.of(region), 1);
        device = new SplitQueue(256, memory.sliceOfUserAddr(driver.descUserAddr(), Ring.descTableSize(256)),
                memory.sliceOfUserAddr(driver.availUserAddr(), Ring.availSize(256)),
                memory.sliceOfUserAddr(driver.usedUserAddr(), Ring.usedSize(256)), memory, true, 0);
        long request = ram.alloc(56, 64), response = ram.alloc(24, 64);
        List<DriverQueue.Buffer> r = List.of(new DriverQueue.Buffer(request, 56));
        List<DriverQueue.Buffer> w = List.of(new DriverQueue.Buffer(response, 24));
        head = "indirect".equals(layout) ? driver.addIndirect(r, w) : driver.add(r, w);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        region.close();
        ram.close();
    }

    @Benchmark
    public long popAndComplete() throws Exception {
        driver.push(head);
        driver.publish();
        DescriptorChain c = device.pop();
        device.addUsed(c.head(), 24);
        device.publish();
        return c.readableLength() + c.writableLength();
    }
}
