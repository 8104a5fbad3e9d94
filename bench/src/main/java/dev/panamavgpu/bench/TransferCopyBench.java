package dev.panamavgpu.bench;

import dev.panamavgpu.vhostuser.frontend.GuestRam;
import dev.panamavgpu.vhostuser.memory.GuestMemory;
import dev.panamavgpu.vhostuser.memory.MappedRegion;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The copy a TRANSFER_TO_HOST_2D does, through the public guest-memory API (the device's own backing class is
 * internal): guest RAM mapped from a memfd as the backend maps it, a 1920x1080 backing translated with
 * {@link GuestMemory#slice}, copied into a host resource buffer whole, row by row for a sub-rectangle, and a plain
 * memcpy of the same bytes for reference.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class TransferCopyBench {
    static final int W = 1920, H = 1080;
    static final long STRIDE = W * 4L, FRAME = STRIDE * H;

    private GuestRam ram;
    private MappedRegion region;
    private GuestMemory memory;
    private long backingGpa;
    private Arena arena;
    private MemorySegment resource, plainSrc;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ram = new GuestRam(0x1_0000_0000L, 32L << 20);
        backingGpa = ram.alloc(FRAME, 4096);
        ram.at(backingGpa, FRAME).fill((byte) 7);
        region = MappedRegion.map(ram.region(), ram.fd());
        memory = GuestMemory.of(List.of(region), 1);
        arena = Arena.ofConfined();
        resource = arena.allocate(FRAME, 64);
        plainSrc = arena.allocate(FRAME, 64);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
        region.close();
        ram.close();
    }

    @Benchmark
    public MemorySegment wholeFrame() throws Exception {
        MemorySegment.copy(memory.slice(backingGpa, FRAME), 0, resource, 0, FRAME);
        return resource;
    }

    /** A 1000x700 rectangle at (300, 200): one copy per row between two strided images. */
    @Benchmark
    public MemorySegment subRectangle() throws Exception {
        MemorySegment src = memory.slice(backingGpa, FRAME);
        long row = 1000 * 4L;
        for (long y = 200; y < 900; y++) MemorySegment.copy(src, y * STRIDE + 300 * 4, resource, y * STRIDE + 300 * 4, row);
        return resource;
    }

    @Benchmark
    public MemorySegment memcpyReference() {
        MemorySegment.copy(plainSrc, 0, resource, 0, FRAME);
        return resource;
    }
}
