package dev.alignloop.shapes.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ImageTensorsTest {

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    @Test
    void chwLayoutAndRange() {
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 0, 0xFF0080); // row 0, column 1
        float[] t = ImageTensors.toCHW(img);
        assertEquals(18, t.length);
        assertEquals(1f, t[1]);               // R plane, index y*W+x = 1
        assertEquals(-1f, t[6 + 1]);          // G plane
        assertEquals(128 / 127.5f - 1f, t[12 + 1], 1e-7f); // B plane
        assertEquals(-1f, t[0]);
    }

    @Test
    void roundTripIsExactAndBatchOffsetsWork() {
        BufferedImage img = SceneRenderer.ofSize(32).render("a red circle above a blue square", 1).image();
        assertArrayEquals(pixels(img), pixels(ImageTensors.fromCHW(ImageTensors.toCHW(img), 32, 32)));
        float[] batch = new float[2 * 3 * 32 * 32];
        ImageTensors.toCHW(img, batch, 3 * 32 * 32);
        assertArrayEquals(pixels(img), pixels(ImageTensors.fromCHW(batch, 3 * 32 * 32, 32, 32)));
    }

    @Test
    void clampsOvershootAndRejectsNaN() {
        float[] t = new float[3];
        t[0] = 3f;
        t[1] = -7f;
        t[2] = 0f;
        assertEquals(0xFF0080, ImageTensors.fromCHW(t, 1, 1).getRGB(0, 0) & 0xFFFFFF);
        t[2] = Float.NaN;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ImageTensors.fromCHW(t, 1, 1));
        assertTrue(e.getMessage().contains("channel 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ImageTensors.fromCHW(new float[10], 2, 2));
        assertTrue(e.getMessage().contains("needs 12"), e.getMessage());
    }
}
