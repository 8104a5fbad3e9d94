package dev.panamavgpu.qxl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PngWriterTest {
    @Test
    void decodesBackToTheSamePixels() throws Exception {
        int w = 5, h = 3;
        byte[] px = new byte[w * h * 4];
        for (int i = 0; i < w * h; i++) {
            px[4 * i] = (byte) (i * 7);        // B
            px[4 * i + 1] = (byte) (i * 13);   // G
            px[4 * i + 2] = (byte) (200 - i);  // R
            px[4 * i + 3] = (byte) 0x55;       // X, dropped
        }
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(PngWriter.encode(w, h, px)));
        assertEquals(w, img.getWidth());
        assertEquals(h, img.getHeight());
        for (int i = 0; i < w * h; i++) {
            int rgb = img.getRGB(i % w, i / w) & 0xFFFFFF;
            assertEquals(((200 - i) & 0xff) << 16 | ((i * 13) & 0xff) << 8 | ((i * 7) & 0xff), rgb, "pixel " + i);
        }
    }
}
