package dev.panamavgpu.testguest.bench;

import java.io.PrintStream;

/** One progress line on a terminal, rewritten in place; nothing if there is no stream. */
final class Progress {
    private final PrintStream out;
    private String prefix = "";

    Progress(PrintStream out) { this.out = out; }

    void prefix(String p) { prefix = p; }

    void update(String what) {
        if (out == null) return;
        out.printf("\r%-100.100s", "[" + prefix + "] " + what);
        out.flush();
    }

    void done() {
        if (out == null) return;
        out.printf("\r%-100s\r", "");
        out.flush();
    }
}
