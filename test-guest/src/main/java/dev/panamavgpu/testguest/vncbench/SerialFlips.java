package dev.panamavgpu.testguest.vncbench;

import dev.panamavgpu.testguest.vm.QemuVm;
import java.io.IOException;
import java.util.List;

/** A real guest's frame count: the newest "PVGPU-FLIPS n seconds" line drmtest's flip mode prints each second. */
record SerialFlips(QemuVm vm) implements GuestRate {
    static final String MARKER = "PVGPU-FLIPS ";

    @Override
    public Mark mark() throws IOException {
        List<QemuVm.SerialLine> lines = vm.lines();
        for (int i = lines.size() - 1; i >= 0; i--) {
            String t = lines.get(i).text();
            int at = t.indexOf(MARKER);
            if (at < 0) continue;
            String[] f = t.substring(at + MARKER.length()).trim().split("\\s+");
            return new Mark(Long.parseLong(f[0]), Double.parseDouble(f[1]));
        }
        if (t(lines).contains("PVGPU-FAIL")) throw new IOException("the guest failed: " + t(lines));
        return new Mark(0, 0);
    }

    private static String t(List<QemuVm.SerialLine> lines) {
        return lines.isEmpty() ? "" : lines.getLast().text();
    }
}
