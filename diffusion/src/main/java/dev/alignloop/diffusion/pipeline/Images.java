package dev.alignloop.diffusion.pipeline;

import ai.djl.ndarray.NDArray;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/** Conversions between model outputs and images. */
public final class Images {
    private Images() {
    }

    /**
     * diffusers' {@code VaeImageProcessor.denormalize}: {@code (x / 2 + 0.5).clamp(0, 1)}.
     *
     * @param x (B, 3, H, W) a decoded or pixel-space sample in about [-1, 1]
     * @return (B, 3, H, W) in [0, 1]
     */
    public static NDArray denormalize(NDArray x) {
        return x.div(2f).add(0.5f).clip(0f, 1f);
    }

    /**
     * {@code numpy_to_pil}: {@code (image * 255).round()} to 8-bit RGB.
     *
     * @param images (B, 3, H, W) in [0, 1]
     * @param index which image
     * @return an RGB image
     */
    public static BufferedImage toBufferedImage(NDArray images, int index) {
        long[] s = images.getShape().getShape();
        if (s.length != 4 || s[1] != 3) {
            throw new IllegalArgumentException("images must be (B, 3, H, W), got " + images.getShape());
        }
        int h = (int) s[2];
        int w = (int) s[3];
        float[] px;
        try (NDArray one = images.get(index)) {
            px = one.toFloatArray();
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int plane = h * w;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = y * w + x;
                img.setRGB(x, y, (to8(px[i]) << 16) | (to8(px[plane + i]) << 8) | to8(px[2 * plane + i]));
            }
        }
        return img;
    }

    /**
     * @param images (B, 3, H, W) in [0, 1]
     * @return one RGB image per row
     */
    public static List<BufferedImage> toBufferedImages(NDArray images) {
        List<BufferedImage> out = new ArrayList<>();
        for (int i = 0; i < images.getShape().get(0); i++) {
            out.add(toBufferedImage(images, i));
        }
        return out;
    }

    /**
     * @param image an image
     * @return its PNG encoding
     */
    public static byte[] toPng(BufferedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static int to8(float v) {
        float c = Math.min(Math.max(v, 0f), 1f);
        return (int) Math.rint(c * 255f); // np.round: half to even
    }
}
