package dev.alignloop.reward.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.util.Objects;

/**
 * Java twin of HF {@code CLIPImageProcessor} (the PIL-based "slow" processor that CLIP, PickScore
 * and HPS were trained with): convert to RGB, resize with PIL ({@link PilResampler}), center
 * crop, rescale, normalize, HWC uint8 to CHW float32.
 *
 * <p>Each step quotes the {@code transformers.image_transforms} line it mirrors. Stateless and
 * thread-safe.
 */
public final class ClipImagePreprocessor {

    private final ClipImageConfig config;
    private final float[] lut = new float[3 * 256]; // every output value is a function of (channel, byte)

    /** A preprocessor for the given configuration. */
    public ClipImagePreprocessor(ClipImageConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                lut[c * 256 + v] = normalize(c, v);
            }
        }
    }

    /** The configuration. */
    public ClipImageConfig config() {
        return config;
    }

    /**
     * The resized size for an input of {@code width x height}, as {@code {height, width}}.
     * Mirrors {@code get_resize_output_image_size(default_to_square=False)}: the short side
     * becomes {@code shortest_edge}, the long side {@code int(shortest_edge * long / short)}.
     */
    public int[] resizedSize(int width, int height) {
        if (!config.doResize()) {
            return new int[] {height, width};
        }
        if (config.shortestEdge() == 0) {
            return new int[] {config.resizeHeight(), config.resizeWidth()};
        }
        int s = config.shortestEdge();
        int shortSide = Math.min(width, height);
        int longSide = Math.max(width, height);
        // python: int(requested_new_short * long / short): exact int product, float division, truncation
        int newLong = (int) ((double) ((long) s * longSide) / shortSide);
        return width <= height ? new int[] {newLong, s} : new int[] {s, newLong};
    }

    /** Preprocesses one image into {@code [3, H, W]} float32 (channel-major). */
    public PixelValues preprocess(BufferedImage image) {
        int[] hw = outputSize(image.getWidth(), image.getHeight());
        float[] out = new float[3 * hw[0] * hw[1]];
        preprocessInto(image, FloatBuffer.wrap(out), 0);
        return new PixelValues(hw[0], hw[1], out);
    }

    /**
     * The {@code {height, width}} of {@link #preprocess}'s output for an input of {@code width x
     * height}: the crop size, or the resized size without a crop.
     */
    public int[] outputSize(int width, int height) {
        if (config.doCenterCrop()) {
            return new int[] {config.cropHeight(), config.cropWidth()};
        }
        return resizedSize(width, height);
    }

    /**
     * Preprocesses one image straight into {@code dst} (e.g. a direct buffer that becomes the
     * model's input tensor), {@code [3, H, W]} starting at float index {@code offset}; values
     * equal {@link #preprocess}'s. Uses absolute puts only, so threads may fill disjoint ranges of
     * one buffer concurrently.
     *
     * @return the number of floats written, {@code 3 * H * W} of {@link #outputSize}
     */
    public int preprocessInto(BufferedImage image, FloatBuffer dst, int offset) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] hw = resizedSize(w, h);
        int[] outHw = outputSize(w, h);
        int outH = outHw[0];
        int outW = outHw[1];
        int plane = outH * outW;
        boolean identity = (!config.doResize() || (hw[0] == h && hw[1] == w)) && outH == h && outW == w;
        int[] packed = identity ? RgbPixels.packedIntRgb(image) : null;
        if (packed != null) {
            // The common case at a service boundary: a decoded TYPE_INT_RGB image already at the
            // model's size (no resize, the crop is the whole image): one pass, no byte copy.
            for (int i = 0; i < plane; i++) {
                int p = packed[i];
                dst.put(offset + i, lut[(p >> 16) & 0xFF]);
                dst.put(offset + plane + i, lut[256 + ((p >> 8) & 0xFF)]);
                dst.put(offset + 2 * plane + i, lut[512 + (p & 0xFF)]);
            }
            return 3 * plane;
        }
        RgbPixels px = toRgb(image);
        byte[] rgb = px.rgb();
        if (config.doResize() && (hw[0] != h || hw[1] != w)) {
            // transformers resize(): to_pil_image(uint8) then image.resize((w, h), resample, reducing_gap=None)
            rgb = PilResampler.resize(rgb, w, h, hw[1], hw[0], config.resample());
            h = hw[0];
            w = hw[1];
        }
        // center_crop(): top = (orig_height - crop_height) // 2 (floor, also when negative);
        // pixels outside the image are the zero padding HF adds for images smaller than the crop.
        int top = config.doCenterCrop() ? Math.floorDiv(h - outH, 2) : 0;
        int left = config.doCenterCrop() ? Math.floorDiv(w - outW, 2) : 0;
        for (int y = 0; y < outH; y++) {
            int sy = y + top;
            for (int x = 0; x < outW; x++) {
                int sx = x + left;
                boolean inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
                int p = (sy * w + sx) * 3;
                for (int c = 0; c < 3; c++) {
                    int v = inside ? rgb[p + c] & 0xFF : 0;
                    dst.put(offset + c * plane + y * outW + x, lut[c * 256 + v]);
                }
            }
        }
        return 3 * plane;
    }

    /**
     * rescale() then normalize() in float32. The multiply is done in float32 ({@code uint8 ->
     * float32 * float32(rescale_factor)}), which reproduces the parity reference bit for bit;
     * transformers versions that upcast to float64 first differ from it by at most 1 ulp.
     */
    private float normalize(int channel, int v) {
        float x = config.doRescale() ? (float) v * (float) config.rescaleFactor() : (float) v;
        if (config.doNormalize()) {
            x = (x - config.imageMean()[channel]) / config.imageStd()[channel];
        }
        return x;
    }

    private RgbPixels toRgb(BufferedImage image) {
        if (!config.doConvertRgb()) {
            ColorSpace cs = image.getColorModel().getColorSpace();
            if (cs.getType() != ColorSpace.TYPE_RGB) {
                throw new IllegalArgumentException("do_convert_rgb is false but the image is not RGB (colour space type "
                        + cs.getType() + "); set do_convert_rgb to true");
            }
        }
        return RgbPixels.of(image);
    }

    /**
     * One preprocessed image.
     *
     * @param height rows
     * @param width  columns
     * @param chw    {@code [3, height, width]} float32, channel-major
     */
    public record PixelValues(int height, int width, float[] chw) {
        /** Checks the buffer length. */
        public PixelValues {
            if (chw.length != 3 * height * width) {
                throw new IllegalArgumentException("expected " + 3 * height * width + " values, got " + chw.length);
            }
        }
    }
}
