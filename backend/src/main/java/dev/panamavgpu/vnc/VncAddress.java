package dev.panamavgpu.vnc;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/** Where the RFB server listens: {@code HOST:PORT} ({@code [v6]:PORT}) or {@code unix:PATH}. */
public sealed interface VncAddress {
    SocketAddress socketAddress();

    record Tcp(String host, int port) implements VncAddress {
        @Override public SocketAddress socketAddress() { return new InetSocketAddress(host, port); }
        @Override public String toString() { return (host.contains(":") ? "[" + host + "]" : host) + ":" + port; }
    }

    record Unix(Path path) implements VncAddress {
        @Override public SocketAddress socketAddress() { return UnixDomainSocketAddress.of(path); }
        @Override public String toString() { return "unix:" + path; }
    }

    public static VncAddress parse(String s) {
        if (s.startsWith("unix:")) {
            String p = s.substring(5);
            if (p.isEmpty()) throw new IllegalArgumentException("--vnc=unix:PATH needs a path");
            return new Unix(Path.of(p));
        }
        int colon = s.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("--vnc wants HOST:PORT or unix:PATH, not '" + s + "'");
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        if (host.isEmpty()) throw new IllegalArgumentException("--vnc wants a host before the port (0.0.0.0 for every address)");
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--vnc port '" + s.substring(colon + 1) + "' is not a number");
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException("--vnc port " + port + " out of range");
        return new Tcp(host, port);
    }
}
