package dev.panamavgpu.testguest.qxl;

import static dev.panamavgpu.testguest.qxl.QxlGuest.IO_OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The primary surface read out as PNG through the control socket, compared pixel for pixel. */
class QxlControlSocketTest {
    private QxlRig rig;
    private QxlGuest g;
    private Path ctl;

    @BeforeEach
    void start() throws Exception {
        rig = QxlRig.start();
        g = rig.guest;
        ctl = rig.controlSocket();
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    private static byte[] request(Path socket, String line) throws Exception {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            c.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            try (InputStream in = Channels.newInputStream(c)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                return out.toByteArray();
            }
        }
    }

    private void draw() throws Exception {
        assertEquals(IO_OK, g.createPrimary(40, 30, false));
        g.fill(0, 0, 0, 40, 30, 0x00102030, null);
        g.fill(0, 5, 5, 10, 10, 0x00ff0000, null);
        int[] px = new int[6 * 4];
        for (int i = 0; i < px.length; i++) px[i] = 0x00000100 * (i * 10);
        g.copyBitmap(0, 30, 20, 6, 4, px, 12, false);
        g.kick(); // drawn whenever the host gets to it: the readout draws what is pending first
    }

    private static void assertPicture(BufferedImage img) {
        assertEquals(40, img.getWidth());
        assertEquals(30, img.getHeight());
        assertEquals(0x102030, img.getRGB(0, 0) & 0xffffff);
        assertEquals(0xff0000, img.getRGB(5, 5) & 0xffffff);
        assertEquals(0xff0000, img.getRGB(14, 14) & 0xffffff);
        assertEquals(0x102030, img.getRGB(15, 15) & 0xffffff);
        for (int i = 0; i < 24; i++) assertEquals(0x100 * (i * 10), img.getRGB(30 + i % 6, 20 + i / 6) & 0xffffff, "bitmap pixel " + i);
    }

    @Test
    void pngToAFile() throws Exception {
        draw();
        Path out = Files.createTempFile("qxl-primary", ".png");
        try {
            String reply = new String(request(ctl, "png " + out), StandardCharsets.UTF_8);
            assertEquals("ok 40 30\n", reply);
            assertPicture(ImageIO.read(out.toFile()));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The sandbox lets the backend write only into some directories; elsewhere the client hears why. */
    @Test
    void pngToAFileThatCannotBeWrittenIsAnswered() throws Exception {
        draw();
        String reply = new String(request(ctl, "png /nonexistent-dir/x.png"), StandardCharsets.UTF_8);
        assertTrue(reply.startsWith("err cannot write /nonexistent-dir/x.png: "), reply);
    }

    @Test
    void pngBytesOnTheSocket() throws Exception {
        draw();
        byte[] all = request(ctl, "png");
        int nl = 0;
        while (all[nl] != '\n') nl++;
        String[] head = new String(all, 0, nl, StandardCharsets.UTF_8).split(" ");
        assertEquals("ok", head[0]);
        byte[] png = Arrays.copyOfRange(all, nl + 1, all.length);
        assertEquals(Integer.parseInt(head[3]), png.length);
        assertPicture(ImageIO.read(new ByteArrayInputStream(png)));
    }

    @Test
    void errorsAndStats() throws Exception {
        assertEquals("err no primary surface\n", new String(request(ctl, "png"), StandardCharsets.UTF_8));
        assertTrue(new String(request(ctl, "bogus"), StandardCharsets.UTF_8).startsWith("err "));
        String stats = new String(request(ctl, "stats"), StandardCharsets.UTF_8);
        assertTrue(stats.startsWith("ok ") && stats.contains("heldCommands=0"), stats);
    }
}
