package dev.panamavgpu.cli;

import dev.panamavgpu.vhostuser.backend.FrontEndIdentity;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The backend's stderr when it is not a terminal: cuts what is written into lines and hands each,
 * with its syslog severity and the current VM, to a sink (syslog or a log file). slf4j-simple
 * writes through System.err, so log calls, uncaught exceptions and JVM warnings all arrive here.
 */
final class LogLineStream extends OutputStream {
    /** Where a finished line goes. */
    interface Sink {
        void line(int severity, String vm, String text);
    }

    /** Longer lines are cut: a syslog datagram should stay small. */
    static final int MAX_LINE = 4096;
    static final int ERR = 3, WARNING = 4, INFO = 6, DEBUG = 7;

    private final Sink sink;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    LogLineStream(Sink sink) { this.sink = sink; }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            String text = pending.toString(StandardCharsets.UTF_8);
            pending.reset();
            if (!text.isBlank()) sink.line(severity(text), FrontEndIdentity.current(), text);
        } else if (pending.size() < MAX_LINE) {
            pending.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) write(b[i]);
    }

    /** The level word of an slf4j-simple line ("12:00:00.000 INFO Main - ..."), among its first words; anything else (a stack trace) counts as an error. */
    static int severity(String line) {
        String[] words = line.split(" ", 4);
        for (int i = 0; i < Math.min(3, words.length); i++) {
            switch (words[i]) {
                case "INFO": return INFO;
                case "WARN": return WARNING;
                case "DEBUG", "TRACE": return DEBUG;
                case "ERROR": return ERR;
                default: { }
            }
        }
        return ERR;
    }
}
