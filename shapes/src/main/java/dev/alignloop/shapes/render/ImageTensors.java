package dev.alignloop.shapes.render;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * Converts between RGB images and the float layout the diffusion model trains on: channels
 * first (CHW, channel order R, G, B), values in [-1, 1] with {@code v = byte / 127.5 - 1} — the
 * diffusers convention for pixel-space models ({@code image * 2 - 1} on [0, 1] images).
 */
public final class ImageTensors {

    private ImageTensors() {
    }

    /** A new {@code float[3 * H * W]} holding the image in CHW order, values in [-1, 1]. */
    public static float[] toCHW(BufferedImage image) {
        float[] out = new float[3 * image.getWidth() * image.getHeight()];
        toCHW(image, out, 0);
        return out;
    }

    /**
     * Writes the image in CHW order into {@code dest} starting at {@code offset} (for packing a
     * batch {@code [B, 3, H, W]} into one array). Alpha, if any, is ignored.
     */
    public static void toCHW(BufferedImage image, float[] dest, int offset) {
        Objects.requireNonNull(image, "image");
        int w = image.getWidth();
        int h = image.getHeight();
        int plane = w * h;
        if (offset < 0 || dest.length - offset < 3 * plane) {
            throw new IllegalArgumentException("dest has " + dest.length + " floats; need " + 3 * plane
                    + " from offset " + offset + " for a " + w + "×" + h + " image");
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            dest[offset + i] = ((p >> 16) & 0xFF) / 127.5f - 1f;
            dest[offset + plane + i] = ((p >> 8) & 0xFF) / 127.5f - 1f;
            dest[offset + 2 * plane + i] = (p & 0xFF) / 127.5f - 1f;
        }
    }

    /** An RGB image from a CHW array of exactly {@code 3 * height * width} values. */
    public static BufferedImage fromCHW(float[] chw, int height, int width) {
        if (chw.length != 3 * height * width) {
            throw new IllegalArgumentException("CHW array has " + chw.length + " values; a 3×" + height + "×"
                    + width + " image needs " + 3 * height * width);
        }
        return fromCHW(chw, 0, height, width);
    }

    /**
     * An RGB image ({@link BufferedImage#TYPE_INT_RGB}) from CHW values starting at
     * {@code offset}. Values outside [-1, 1] are clamped, as a sampler's output may overshoot;
     * bytes are {@code round((v + 1) * 127.5)}, so {@code fromCHW(toCHW(img))} is exact.
     *
     * @throws IllegalArgumentException on NaN (a broken model, which clamping would hide),
     *                                  naming channel, row and column
     */
    public static BufferedImage fromCHW(float[] data, int offset, int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("height and width must be positive, got " + height + "×" + width);
        }
        int plane = height * width;
        if (offset < 0 || data.length - offset < 3 * plane) {
            throw new IllegalArgumentException("array has " + data.length + " values; need " + 3 * plane
                    + " from offset " + offset + " for a 3×" + height + "×" + width + " image");
        }
        int[] rgb = new int[plane];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                float v = data[offset + c * plane + i];
                if (Float.isNaN(v)) {
                    throw new IllegalArgumentException("NaN at channel " + c + ", row " + i / width
                            + ", column " + i % width);
                }
                int b = Math.round((Math.max(-1f, Math.min(1f, v)) + 1f) * 127.5f);
                rgb[i] |= b << (8 * (2 - c));
            }
        }
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        img.setRGB(0, 0, width, height, rgb, 0, width);
        return img;
    }
}
