package dev.panamavgpu.gpu.protocol;

import java.util.Objects;

/** Outcome of {@link GpuCommandDecoder#decode}: a command, or a rejection that already names the guest's answer. */
public sealed interface DecodeResult {

    /** The header to echo in the response (fence fields); {@link CtrlHdr#ZERO} if none could be read. */
    CtrlHdr header();

    record Decoded(CtrlHdr header, GpuCommand command) implements DecodeResult {
        public Decoded {
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(command, "command");
        }
    }

    record Rejected(CtrlHdr header, DecodeError error) implements DecodeResult {
        public Rejected {
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(error, "error");
        }

        /** The error response to send. */
        public GpuResponse.Err response() {
            return new GpuResponse.Err(error.responseType());
        }
    }
}
