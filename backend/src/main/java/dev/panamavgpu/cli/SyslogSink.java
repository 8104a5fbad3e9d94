package dev.panamavgpu.cli;

import dev.panamavgpu.ffm.ErrnoException;
import dev.panamavgpu.ffm.Fd;
import dev.panamavgpu.ffm.Libc;
import dev.panamavgpu.ffm.UnixSockets;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Log lines as RFC 3164 datagrams to the local syslog socket (/dev/log: journald or rsyslog):
 * {@code <PRI>Mmm dd hh:mm:ss panama-vgpu[PID]: vm=NAME pid=N: TEXT}, facility daemon. Written with
 * the project's own FFM sockets: a library for one sendmsg per line would be more code to trust.
 * The socket is connected at start-up, before any sandbox; a lost syslog (restarted) is
 * reconnected once per line, which stays an AF_UNIX connect.
 */
final class SyslogSink implements LogLineStream.Sink {
    static final int FACILITY_DAEMON = 3;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT);

    private final String path;
    private final String tag;
    private Fd fd;

    private SyslogSink(String path, Fd fd) {
        this.path = path;
        this.fd = fd;
        this.tag = "panama-vgpu[" + Libc.getpid() + "]";
    }

    static SyslogSink connect(String path) throws ErrnoException {
        return new SyslogSink(path, UnixSockets.connectDatagram(path));
    }

    @Override
    public synchronized void line(int severity, String vm, String text) {
        byte[] msg = format(severity, LocalDateTime.now(), tag, vm, text).getBytes(StandardCharsets.UTF_8);
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                if (fd == null) fd = UnixSockets.connectDatagram(path);
                UnixSockets.send(fd, new MemorySegment[] {MemorySegment.ofArray(msg)}, new int[0]);
                return;
            } catch (ErrnoException e) {
                if (fd != null) fd.close();
                fd = null; // syslog restarted: connect again
            }
        }
    }

    static String format(int severity, LocalDateTime when, String tag, String vm, String text) {
        return "<" + (FACILITY_DAEMON * 8 + severity) + ">" + STAMP.format(when) + " " + tag + ": "
                + (vm.isEmpty() ? "" : vm + ": ") + text;
    }
}
