package dev.panamavgpu.vhostuser.backend;

/** A front-end message that breaks the protocol; answered with an error ack (or the connection drops). */
final class ProtocolError extends Exception {
    ProtocolError(String message) {
        super(message, null, false, false);
    }
}
