package dev.alignloop.reward.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ClipImagePreprocessorTest {

    @Test
    void resizedSizeFollowsHf() {
        ClipImagePreprocessor p = new ClipImagePreprocessor(ClipImageConfig.clipDefaults(224));
        assertArrayEquals(new int[] {224, 298}, p.resizedSize(320, 240)); // int(224 * 320 / 240) = 298
        assertArrayEquals(new int[] {448, 224}, p.resizedSize(150, 300));
        assertArrayEquals(new int[] {224, 224}, p.resizedSize(50, 50));
        assertArrayEquals(new int[] {339, 224}, p.resizedSize(31, 47)); // 224 * 47 / 31 = 339.6
    }

    @Test
    void cropLargerThanImageIsZeroPaddedLikeHf() throws Exception {
        // no resize, crop 4x4 of a 2x3 (w x h) image: HF pads with zeros, image centered at top = 0, left = 1
        ClipImageConfig c = ClipImageConfig.fromJson(new ObjectMapper().readTree(
                "{\"do_resize\": false, \"crop_size\": 4, \"do_normalize\": false}"), true);
        BufferedImage img = new BufferedImage(2, 3, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 2; x++) {
                img.setRGB(x, y, 0xFFFFFF);
            }
        }
        ClipImagePreprocessor.PixelValues pv = new ClipImagePreprocessor(c).preprocess(img);
        assertEquals(4, pv.height());
        float[] red = java.util.Arrays.copyOf(pv.chw(), 16);
        // rows: floorDiv(3 - 4, 2) = -1 -> first row padding; cols: floorDiv(2 - 4, 2) = -1 -> first column padding
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0}, red);
    }

    @Test
    void preprocessorConfigKeys() throws Exception {
        ClipImageConfig legacy = ClipImageConfig.fromJson(new ObjectMapper().readTree(
                "{\"size\": 256, \"crop_size\": 224, \"image_processor_type\": \"CLIPImageProcessor\"}"), false);
        assertEquals(256, legacy.shortestEdge());
        assertEquals(224, legacy.cropWidth());
        ClipImageConfig exact = ClipImageConfig.fromJson(new ObjectMapper().readTree(
                "{\"size\": {\"height\": 32, \"width\": 48}, \"do_center_crop\": false, \"image_mean\": 0.5, \"image_std\": 0.5}"), false);
        assertArrayEquals(new int[] {32, 48}, exact.fixedOutputSize());
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, exact.imageMean());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClipImageConfig.fromJson(
                new ObjectMapper().readTree("{\"crop_size\": {\"height\": 0, \"width\": 3}}"), false));
        assertTrue(e.getMessage().startsWith("crop_size"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClipImageConfig.fromJson(
                new ObjectMapper().readTree("{\"size\": {\"shortest_edge\": 2.5}}"), false));
        assertTrue(e.getMessage().startsWith("size.shortest_edge must be an integer"), e.getMessage());
    }

    /** A random INT_RGB image. */
    private static BufferedImage randomImage(int w, int h, long seed) {
        java.util.Random rnd = new java.util.Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rnd.nextInt(0x1000000));
            }
        }
        return img;
    }

    /** The same pixels in a 3-byte BGR raster, which takes the generic (byte) path. */
    private static BufferedImage asBgr(BufferedImage img) {
        BufferedImage bgr = new BufferedImage(img.getWidth(), img.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        bgr.setRGB(0, 0, img.getWidth(), img.getHeight(),
                img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth()), 0, img.getWidth());
        return bgr;
    }

    @Test
    void packedIntRgbFastPathEqualsTheGenericPathBitForBit() {
        ClipImagePreprocessor p = new ClipImagePreprocessor(ClipImageConfig.clipDefaults(32));
        BufferedImage img = randomImage(32, 32, 5); // already 32x32: no resize, the crop is everything
        assertArrayEquals(p.preprocess(asBgr(img)).chw(), p.preprocess(img).chw());
        // a sub-image view of a larger INT_RGB raster must not take the packed path
        BufferedImage big = randomImage(40, 40, 6);
        BufferedImage view = big.getSubimage(3, 5, 32, 32);
        assertArrayEquals(p.preprocess(asBgr(view)).chw(), p.preprocess(view).chw());
        // and images that need a resize still go through PIL's resampler
        BufferedImage large = randomImage(48, 40, 7);
        assertArrayEquals(p.preprocess(asBgr(large)).chw(), p.preprocess(large).chw());
    }

    @Test
    void preprocessIntoWritesTheSameValuesAtAnOffsetOfADirectBuffer() {
        ClipImagePreprocessor p = new ClipImagePreprocessor(ClipImageConfig.clipDefaults(32));
        BufferedImage img = randomImage(32, 32, 8);
        float[] expected = p.preprocess(img).chw();
        java.nio.FloatBuffer dst = java.nio.ByteBuffer.allocateDirect((2 * expected.length + 3) * 4)
                .order(java.nio.ByteOrder.nativeOrder()).asFloatBuffer();
        assertEquals(expected.length, p.preprocessInto(img, dst, 3 + expected.length));
        float[] got = new float[expected.length];
        dst.get(3 + expected.length, got);
        assertArrayEquals(expected, got);
        assertEquals(0f, dst.get(3 + expected.length - 1)); // nothing written before the slot
        assertArrayEquals(new int[] {32, 32}, p.outputSize(48, 40));
    }
}
