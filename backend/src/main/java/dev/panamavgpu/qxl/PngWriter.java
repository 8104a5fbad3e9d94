package dev.panamavgpu.qxl;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/** Encodes 32-bit xRGB pixels (little-endian words: B, G, R, X bytes) as an 8-bit RGB PNG. */
public final class PngWriter {
    private PngWriter() {}

    public static byte[] encode(int width, int height, byte[] xrgb) {
        if ((long) width * height * 4 != xrgb.length) throw new IllegalArgumentException("pixel buffer size");
        try {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            try (DeflaterOutputStream z = new DeflaterOutputStream(raw, new Deflater(Deflater.BEST_SPEED))) {
                byte[] row = new byte[1 + width * 3];
                for (int y = 0; y < height; y++) {
                    int in = y * width * 4;
                    for (int x = 0; x < width; x++) {
                        row[1 + 3 * x] = xrgb[in + 4 * x + 2];
                        row[2 + 3 * x] = xrgb[in + 4 * x + 1];
                        row[3 + 3 * x] = xrgb[in + 4 * x];
                    }
                    z.write(row);
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(ihdr);
            h.writeInt(width);
            h.writeInt(height);
            h.write(new byte[] {8, 2, 0, 0, 0}); // 8 bit, truecolour, deflate, adaptive filter, no interlace
            chunk(out, "IHDR", ihdr.toByteArray());
            chunk(out, "IDAT", raw.toByteArray());
            chunk(out, "IEND", new byte[0]);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory PNG encoding failed", e);
        }
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.writeInt(data.length);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }
}
