package dev.panamavgpu.bench;

import dev.panamavgpu.gpu.protocol.PixelFormat;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
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
 * {@link PixelFormat#convertRect} of a whole 1920x1080 frame into x8r8g8b8: the copy for the display's own
 * format, and the three swizzles (reverse, swap R/B, rotate) for the others. Read the score as bytes/ns via
 * 1920·1080·4 / score.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class PixelConversionBench {
    static final int W = 1920, H = 1080;

    @Param({"B8G8R8X8_UNORM", "X8R8G8B8_UNORM", "R8G8B8A8_UNORM", "X8B8G8R8_UNORM"})
    public String format;

    private Arena arena;
    private MemorySegment src, dst;
    private PixelFormat pf;

    @Setup(Level.Trial)
    public void setUp() {
        arena = Arena.ofConfined();
        src = arena.allocate((long) W * H * 4, 64);
        dst = arena.allocate((long) W * H * 4, 64);
        for (long i = 0; i < src.byteSize(); i++) src.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) (i * 31));
        pf = PixelFormat.valueOf(format);
    }

    @TearDown(Level.Trial)
    public void tearDown() { arena.close(); }

    @Benchmark
    public MemorySegment convertFrame() {
        pf.convertRect(src, 0, W * 4L, dst, 0, W * 4L, W, H);
        return dst;
    }
}
