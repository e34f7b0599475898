package dev.alignloop.common.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class PngTest {
    private final BufferedImage image = testImage();

    /** A 32x32 RGB image with a gradient and two antialiased discs: every channel varies. */
    private static BufferedImage testImage() {
        BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                img.setRGB(x, y, (x * 8) << 16 | (y * 8) << 8 | ((x + y) * 4));
            }
        }
        java.awt.Graphics2D g = img.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(java.awt.Color.RED);
        g.fillOval(3, 4, 11, 11);
        g.fillOval(18, 17, 9, 9);
        g.dispose();
        return img;
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    private static byte[] imageIo(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    private static void assertRejected(byte[] png, String fragment) {
        PngFormatException e = assertThrows(PngFormatException.class, () -> Png.decode(png));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    @Test
    void roundTripIsLosslessAndDeterministic() {
        byte[] png = Png.encode(image);
        assertArrayEquals(png, Png.encode(image));
        BufferedImage back = Png.decode(png, 32, 32);
        assertEquals(BufferedImage.TYPE_INT_RGB, back.getType());
        assertArrayEquals(pixels(image), pixels(back));
    }

    @Test
    void encodeDropsAlpha() {
        BufferedImage argb = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x80123456);
        BufferedImage back = Png.decode(Png.encode(argb));
        assertEquals(0x123456, back.getRGB(0, 0) & 0xFFFFFF);
    }

    @Test
    void rejectsWrongSize() {
        PngFormatException e = assertThrows(PngFormatException.class, () -> Png.decode(Png.encode(image), 64, 64));
        assertTrue(e.getMessage().contains("32×32, expected 64×64"), e.getMessage());
    }

    @Test
    void rejectsTruncatedAndCorruptData() {
        byte[] png = Png.encode(image);
        assertRejected(Arrays.copyOf(png, png.length - 12), "truncated PNG: data ends at byte " + (png.length - 12)
                + " before the IEND chunk");
        assertRejected(Arrays.copyOf(png, png.length - 5), "truncated PNG: chunk at byte " + (png.length - 12)
                + " is cut off after 7 bytes");
        assertRejected(Arrays.copyOf(png, 60), "truncated PNG: chunk IDAT at byte 33 declares");
        assertRejected(Arrays.copyOf(png, 5), "not a PNG");
        byte[] flipped = png.clone();
        flipped[png.length / 2] ^= 0x55;
        assertRejected(flipped, "CRC mismatch in chunk IDAT");
        byte[] notPng = "GIF89a, certainly not a png".getBytes();
        assertRejected(notPng, "bad signature");
        byte[] trailing = Arrays.copyOf(png, png.length + 3);
        assertRejected(trailing, "3 bytes after IEND");
    }

    @Test
    void rejectsNonRgbModes() throws IOException {
        assertRejected(imageIo(new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY)), "8-bit greyscale (colour type 0)");
        assertRejected(imageIo(new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB)), "8-bit RGBA (colour type 6)");
        assertRejected(imageIo(new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED)), "palette (colour type 3)");
        assertRejected(imageIo(new BufferedImage(4, 4, BufferedImage.TYPE_USHORT_GRAY)), "16-bit greyscale");
        // And plain 8-bit RGB from another writer is accepted.
        BufferedImage bgr = new BufferedImage(4, 4, BufferedImage.TYPE_3BYTE_BGR);
        bgr.setRGB(1, 2, 0x00FF00);
        assertEquals(0x00FF00, Png.decode(imageIo(bgr)).getRGB(1, 2) & 0xFFFFFF);
    }
}
