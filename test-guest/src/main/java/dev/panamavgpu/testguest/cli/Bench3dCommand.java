package dev.panamavgpu.testguest.cli;

import dev.panamavgpu.testguest.backend.BackendCommand;
import dev.panamavgpu.testguest.bench.BenchSession;
import dev.panamavgpu.testguest.bench.ReadbackWorkload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code test-guest bench3d}: the readback scanout of a 3D resource against the 2D flush of the same size. */
@Command(name = "bench3d", mixinStandardHelpOptions = true,
        description = "Cost of showing a 3D (virgl) resource against a 2D one of the same size, in one backend process "
                + "(it needs 3D: ours with --virgl): a whole-scanout FLUSH per frame, each waited for until its UPDATE reached "
                + "QEMU's end of the display socket. Rounds alternate 2D and 3D; prints the median time per frame and the ratio.")
public final class Bench3dCommand implements Callable<Integer> {
    @Option(names = "--backend", required = true, paramLabel = "'CMD ARGS...'", description = "Backend command with 3D; --socket-path=PATH is appended.")
    String backend;

    @Option(names = "--size", paramLabel = "WxH", defaultValue = "1920x1080", description = "Scanout size (default ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--frames", paramLabel = "N", defaultValue = "100", description = "Frames per round and kind (default ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "5", description = "Rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() throws Exception {
        String[] wh = size.split("x");
        int w = Integer.parseInt(wh[0]), h = Integer.parseInt(wh[1]);
        BackendCommand command = BackendCommand.parse(backend);
        Path dir = Files.createTempDirectory("test-guest-bench3d");
        List<Double> twoD = new ArrayList<>(), threeD = new ArrayList<>();
        long ram = Math.max(64L << 20, 2L * w * h * 4 + (16L << 20));
        try (BenchSession s = BenchSession.start(command, dir, ram)) {
            ReadbackWorkload.show2d(s, 1, w, h);
            ReadbackWorkload.show3d(s, 2, w, h);
            for (int r = 0; r < rounds; r++) {
                // the scanout switches between the two resources; each round measures both, in alternating order
                for (int k = 0; k < 2; k++) {
                    boolean three = (r + k) % 2 == 1;
                    long id = three ? 2 : 1;
                    s.show(id, w, h);
                    double ns = ReadbackWorkload.nanosPerFrame(s, id, w, h, frames);
                    (three ? threeD : twoD).add(ns);
                    System.err.printf("round %d %s: %.2f ms per frame%n", r + 1, three ? "3D readback" : "2D", ns / 1e6);
                }
            }
            s.assertAlive("bench3d");
        }
        double m2 = median(twoD), m3 = median(threeD);
        System.out.printf("%dx%d, %d frames x %d rounds, one process (%s)%n", w, h, frames, rounds, command.label());
        System.out.printf("2D flush (damage only)          %8.2f ms/frame  %6.1f frames/s%n", m2 / 1e6, 1e9 / m2);
        System.out.printf("3D flush (readback + damage)    %8.2f ms/frame  %6.1f frames/s%n", m3 / 1e6, 1e9 / m3);
        System.out.printf("ratio 3D / 2D                   %8.2f%n", m3 / m2);
        System.out.println("backend log: " + dir);
        return 0;
    }

    private static double median(List<Double> l) {
        List<Double> s = new ArrayList<>(l);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
