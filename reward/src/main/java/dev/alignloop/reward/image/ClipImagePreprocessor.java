package dev.alignloop.reward.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
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

    /** A preprocessor for the given configuration. */
    public ClipImagePreprocessor(ClipImageConfig config) {
        this.config = Objects.requireNonNull(config, "config");
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
        RgbPixels px = toRgb(image);
        int[] hw = resizedSize(px.width(), px.height());
        byte[] rgb = px.rgb();
        int h = px.height();
        int w = px.width();
        if (config.doResize() && (hw[0] != h || hw[1] != w)) {
            // transformers resize(): to_pil_image(uint8) then image.resize((w, h), resample, reducing_gap=None)
            rgb = PilResampler.resize(rgb, w, h, hw[1], hw[0], config.resample());
            h = hw[0];
            w = hw[1];
        }
        int outH = config.doCenterCrop() ? config.cropHeight() : h;
        int outW = config.doCenterCrop() ? config.cropWidth() : w;
        // center_crop(): top = (orig_height - crop_height) // 2 (floor, also when negative);
        // pixels outside the image are the zero padding HF adds for images smaller than the crop.
        int top = config.doCenterCrop() ? Math.floorDiv(h - outH, 2) : 0;
        int left = config.doCenterCrop() ? Math.floorDiv(w - outW, 2) : 0;

        float[] out = new float[3 * outH * outW];
        float[] lut = new float[3 * 256]; // every output value is a function of (channel, byte)
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                lut[c * 256 + v] = normalize(c, v);
            }
        }
        int plane = outH * outW;
        for (int y = 0; y < outH; y++) {
            int sy = y + top;
            for (int x = 0; x < outW; x++) {
                int sx = x + left;
                boolean inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
                int p = (sy * w + sx) * 3;
                for (int c = 0; c < 3; c++) {
                    int v = inside ? rgb[p + c] & 0xFF : 0;
                    out[c * plane + y * outW + x] = lut[c * 256 + v];
                }
            }
        }
        return new PixelValues(outH, outW, out);
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
