package dev.panamavgpu.testguest.qemu;

/** One message the backend sent on the GPU socket, as QEMU's end received it. */
public sealed interface DisplayEvent {
    /** The vhost-user-gpu request code. */
    int request();

    record GetProtocolFeatures() implements DisplayEvent { public int request() { return 1; } }

    record SetProtocolFeatures(long features) implements DisplayEvent { public int request() { return 2; } }

    record GetDisplayInfo() implements DisplayEvent { public int request() { return 3; } }

    record CursorPos(int scanoutId, int x, int y) implements DisplayEvent { public int request() { return 4; } }

    record CursorHide(int scanoutId, int x, int y) implements DisplayEvent { public int request() { return 5; } }

    /** CURSOR_UPDATE: position, hot spot and 64×64 a8r8g8b8 pixels (16384 bytes, memory order B,G,R,A). */
    record CursorUpdate(int scanoutId, int x, int y, int hotX, int hotY, byte[] argb) implements DisplayEvent {
        public int request() { return 6; }

        /** Pixel (x, y) as a little-endian word: B | G<<8 | R<<16 | A<<24. */
        public int pixel(int px, int py) {
            int i = (py * 64 + px) * 4;
            return (argb[i] & 0xff) | (argb[i + 1] & 0xff) << 8 | (argb[i + 2] & 0xff) << 16 | (argb[i + 3] & 0xff) << 24;
        }
    }

    record Scanout(int scanoutId, int width, int height) implements DisplayEvent { public int request() { return 7; } }

    /** UPDATE: a rectangle of x8r8g8b8 pixels (memory order B,G,R,X), stride width·4. */
    record Update(int scanoutId, int x, int y, int width, int height, byte[] data) implements DisplayEvent {
        public int request() { return 8; }

        public int pixel(int px, int py) {
            int i = (py * width + px) * 4;
            return (data[i] & 0xff) | (data[i + 1] & 0xff) << 8 | (data[i + 2] & 0xff) << 16 | (data[i + 3] & 0xff) << 24;
        }

        @Override
        public String toString() {
            return "Update[scanout " + scanoutId + ", " + x + "," + y + " " + width + "x" + height + "]";
        }
    }

    /** GET_EDID; {@code answered} is false when QEMU (like the real one) stayed silent. */
    record GetEdid(int scanoutId, boolean answered) implements DisplayEvent { public int request() { return 11; } }

    /** Anything else (DMABUF_*, unknown codes). */
    record Other(int request, int flags, long size) implements DisplayEvent {}
}
